"""Events assembled: every token that fires a trigger rule becomes a draft, its arguments,
status and date are read, and each draft gives one event per source-target pair, with a
stable id, deduplicated within the article."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING

from models import Document, Event, Participant
from pipeline.nlp.entities import EntityLayer
from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import OBJECTS, PASSIVE_SUBJECTS, SUBJECTS, light_verb, rule_for
from pipeline.nlp.events.roles import arguments, attack_type
from pipeline.nlp.events.status import governing_verb, lead_date_of, read_date, status
from pipeline.nlp.model import sentence_of
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def _refers_back(noun: Token) -> bool:
    """'the visit', 'during the talks': a definite event noun with nothing of its own names
    an event told before, not a new one. 'under the free trade agreement' names a standing
    framework, not an event."""
    if noun.pos_ == "VERB":
        return False
    if noun.dep_ == "pobj" and noun.head.lower_ in {"under", "within"}:
        return True
    children = list(noun.children)
    definite = any(c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in children)
    own = any(c.dep_ in {"poss", "prep", "compound", "amod", "nmod"} and c.lower_ not in {"of"} and c.pos_ != "ADJ" for c in children)
    return definite and not own


def _locations(draft: Draft, resolver: Resolver) -> None:
    verb = governing_verb(draft.trigger)
    for node in (draft.trigger, verb):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in {"in", "at", "near"}:
                for pobj in child.children:
                    for entity in resolver.resolve(pobj) if pobj.dep_ == "pobj" else []:
                        if entity.startswith("place:") and entity not in draft.targets:
                            draft.locations.append(entity)


def _event_id(draft: Draft, sources: list[str], targets: list[str]) -> str:
    if draft.rule.symmetric:
        sources, targets = sorted(sources + targets), []
    key = "|".join([draft.type, draft.mode or "", ",".join(sorted(sources)), ",".join(sorted(targets)),
                    draft.date or "", draft.status])  # fmt: skip
    return "ev:" + hashlib.sha1(key.encode()).hexdigest()[:16]


def _dyads(draft: Draft) -> list[tuple[list[str], list[str]]]:
    """Events are dyadic: 'urged Russia and Ukraine' is two demands. A meeting or an
    agreement keeps all its parties together."""
    if draft.rule.symmetric or (len(draft.sources) <= 1 and len(draft.targets) <= 1):
        return [(draft.sources, draft.targets)]
    sources: list[str | None] = [*draft.sources] or [None]
    targets: list[str | None] = [*draft.targets] or [None]
    return [([s] if s else [], [t] if t else []) for s in sources for t in targets]


def extract_events(document: Document, doc: Doc, layer: EntityLayer) -> list[Event]:
    """Every event the rules find in the document, deduplicated within the article."""
    resolver = Resolver(layer)
    published = document.article.published_date
    events: dict[str, Event] = {}
    history: list[Draft] = []
    lead_date = lead_date_of(document, doc, published)
    for token in doc:
        rule = rule_for(token)
        if rule is None or _covered_by_verb(token) or _inside_threat(token) or _refers_back(token):
            continue
        if "light_verb" in rule.requires and light_verb(token) is None:
            continue
        draft = Draft(rule=rule, trigger=token, type=rule.type, mode=rule.mode, cameo=rule.cameo)
        arguments(draft, resolver, history)
        attack_type(draft)
        in_title = token.idx < document.body_offset
        if in_title and not (draft.sources and draft.targets):
            continue  # headlines are compressed; the body tells it again in full
        if draft.type == "AID" and not draft.targets:
            # at a pledging conference every pledge is for the same recipient
            draft.targets = next((p.targets for p in reversed(history) if p.type == "AID" and p.targets), [])
        if "target" in rule.requires and not draft.targets:
            continue
        if draft.mode == "visit" and any(
            sentence_of(p.trigger) == sentence_of(token) and p.mode == "visit" and p.sources == draft.sources
            for p in history
        ):
            continue  # "travelled to Vilnius, where he was received by Nauseda": one visit
        read_date(draft, published, history)
        if in_title and draft.date is None:
            draft.date, draft.date_text = lead_date, None  # the headline's event is the lead's
        draft.status = status(draft, published)
        _locations(draft, resolver)
        if not draft.sources and not draft.targets and not (draft.type == "PROTEST" and (draft.locations or draft.date)):
            continue
        history.append(draft)
        for extra in [draft, *_gapped(draft, resolver)]:
            for sources, targets in _dyads(extra):
                event = _build(document, extra, sources, targets)
                events.setdefault(event.id, event)
    return _drop_undated_repeats(list(events.values()))


def _gapped(draft: Draft, resolver: Resolver) -> list[Draft]:
    """'The Commission pledged 1.3 billion euros and Germany 300 million euros': the verb is
    left out after 'and', so each named actor there does the same to the same target."""
    token = draft.trigger
    if token.pos_ != "VERB":
        return []
    copies = []
    for conj in token.children:
        if conj.dep_ == "conj" and conj.pos_ == "PROPN" and (actors := resolver.resolve(conj)):
            if not any(c.dep_ in SUBJECTS for c in conj.children):
                copies.append(dataclasses.replace(draft, sources=actors))
    return copies


def _drop_undated_repeats(events: list[Event]) -> list[Event]:
    """An undated event that repeats a dated one of the same article (a headline, say) is
    the same event, told again without its date."""

    def key(event: Event) -> tuple:
        parts = sorted((p.role, p.entity_id) for p in event.participants if p.role != "location")
        return event.type, event.mode, event.status, tuple(parts)

    dated = {key(e) for e in events if e.date}
    return [e for e in events if e.date or key(e) not in dated]


def _inside_threat(token: Token) -> bool:
    """A trigger inside what a threat threatens or a demand demands ('warned that banks
    could face sanctions if they support Russia', 'urged both sides to agree to a
    ceasefire') is part of that speech act, not an event of its own."""
    child = token
    for ancestor in token.ancestors:
        if child.dep_ in {"ccomp", "xcomp"} and (rule := rule_for(ancestor)) and rule.speech_act:
            return True
        child = ancestor
    return False


def _covered_by_verb(token: Token) -> bool:
    """A noun trigger under a verb trigger of the same type is that verb's event: 'signed an
    agreement', 'pledged 1.6 billion yen in security assistance'."""
    if token.pos_ == "VERB":
        return False
    own = rule_for(token)
    node = token
    for _ in range(4):
        if node.dep_ not in OBJECTS | PASSIVE_SUBJECTS | {"pobj", "prep", "compound", "nmod", "npadvmod"}:
            return False
        node = node.head
        if node.pos_ == "VERB":
            head_rule = rule_for(node)
            return head_rule is not None and own is not None and head_rule.type == own.type
    return False


def _build(document: Document, draft: Draft, sources: list[str], targets: list[str]) -> Event:
    token = draft.trigger
    sentence = sentence_of(token)
    confidence = draft.confidence - (0.1 if not targets else 0.0) - (0.1 if token.pos_ != "VERB" else 0.0)
    participants = [Participant(entity_id=e, role="source") for e in sources]
    participants += [Participant(entity_id=e, role="target") for e in targets]
    participants += [Participant(entity_id=e, role="location") for e in dict.fromkeys(draft.locations)
                     if e not in sources and e not in targets]  # fmt: skip
    return Event(
        id=_event_id(draft, sources, targets),
        type=draft.type,
        mode=draft.mode,
        cameo=draft.cameo,
        status=draft.status,  # type: ignore[arg-type]
        trigger=document.span(token.idx, token.idx + len(token.text)),
        participants=participants,
        date=draft.date,
        date_text=draft.date_text,
        sentence=document.span(sentence.start_char, sentence.end_char),
        confidence=round(max(0.1, confidence), 2),
    )
