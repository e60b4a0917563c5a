"""Events assembled: every candidate the classifier types becomes a draft, its arguments,
status and date are read, and each draft gives one event per source-target pair, with a
stable id, deduplicated within the article. An event whose text gives no date takes its
article's publication date (`date_basis: "publication"`), the way GDELT dates events."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from models import Document, Event, Participant
from pipeline.nlp.entities import EntityLayer
from pipeline.nlp.events.attacks import attack_type
from pipeline.nlp.events.classifier import event_model
from pipeline.nlp.events.decide import typed_triggers
from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.intent import stated_intention, stated_obligations
from pipeline.nlp.events.lexicon import SUBJECTS, lexicon, light_verb
from pipeline.nlp.events.no_act import tells_no_act
from pipeline.nlp.events.roles import arguments
from pipeline.nlp.events.status import governing_verb, status
from pipeline.nlp.events.when import lead_date_of, read_date
from pipeline.nlp.model import sentence_of
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Doc

FORCE_SECTORS = {"MIL", "REB", "GOV"}


def _locations(draft: Draft, resolver: Resolver) -> None:
    verb = governing_verb(draft.trigger)
    for node in (draft.trigger, verb):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in {"in", "at", "near"}:
                for pobj in child.children:
                    for entity in resolver.resolve(pobj) if pobj.dep_ == "pobj" else []:
                        if entity.startswith("place:") and entity not in draft.targets:
                            draft.locations.append(entity)


def _is_force(found: str, resolver: Resolver) -> bool:
    """A state, or its armed or governing men: who can invade without the text naming where."""
    if found.startswith("country:"):
        return True
    entity = resolver.entities.get(found)
    return entity is not None and entity.type == "AGENT" and entity.attributes.get("sector") in FORCE_SECTORS


def _invader_named(draft: Draft, resolver: Resolver) -> bool:
    """Whether a state or its forces is named as the invader: the verb's subject ("Russia
    invaded in 2022"), the noun's possessor or adjective ("Russia's invasion", "the Russian
    invasion"); "the Iraq invasion" may be Iraq's or of Iraq, and "invasion forces" are troops."""
    token = draft.trigger
    if token.pos_ == "VERB":
        return any(_is_force(s, resolver) for s in draft.sources)
    if token.dep_ == "compound":
        return False
    owners = {e for c in token.children if c.dep_ in {"poss", "amod"} for e in resolver.resolve(c)}
    return any(_is_force(s, resolver) for s in draft.sources if s in owners)


def _event_id(draft: Draft, sources: list[str], targets: list[str]) -> str:
    if draft.rule.symmetric:
        sources, targets = sorted(sources + targets), []
    key = "|".join([draft.type, draft.mode or "", ",".join(sorted(sources)), ",".join(sorted(targets)),
                    draft.date or "", draft.status])  # fmt: skip
    return "ev:" + hashlib.sha1(key.encode()).hexdigest()[:16]


def _dyads(draft: Draft) -> list[tuple[list[str], list[str]]]:
    """Events are dyadic: 'urged Russia and Ukraine' is two demands. A meeting or an
    agreement keeps all its parties together; 'both sides pulled back' is each side's act
    towards the other."""
    if draft.mutual:
        first, second = draft.sources
        return [([first], [second]), ([second], [first])]
    if draft.rule.symmetric or (len(draft.sources) <= 1 and len(draft.targets) <= 1):
        return [(draft.sources, draft.targets)]
    sources: list[str | None] = [*draft.sources] or [None]
    targets: list[str | None] = [*draft.targets] or [None]
    return [([s] if s else [], [t] if t else []) for s in sources for t in targets]


def extract_events(document: Document, doc: Doc, layer: EntityLayer) -> list[Event]:
    """Every event of the document, deduplicated within the article."""
    resolver = Resolver(layer, commanders=True)
    published = document.article.published_date
    lex = lexicon()
    events: dict[str, Event] = {}
    history: list[Draft] = []
    lead_date = lead_date_of(document, doc, published)
    obligations = stated_obligations(doc, resolver)
    demanded = {t.i for d in obligations if d.content is not None for t in d.content.subtree}
    for token, event_type, probability in typed_triggers(doc, Resolver(layer), event_model()):
        if token.i in demanded or tells_no_act(token, event_type):
            continue
        rule = lex.rule_of_type(token, event_type)
        if "light_verb" in rule.requires and light_verb(token) is None:
            rule = lex.default(event_type)
        draft = Draft(rule=rule, trigger=token, type=event_type, mode=rule.mode, cameo=rule.cameo,
                      confidence=probability)  # fmt: skip
        arguments(draft, resolver, history)
        attack_type(draft)
        in_title = token.idx < document.body_offset
        if in_title and not (draft.sources and draft.targets):
            continue  # headlines are compressed; the body tells it again in full
        if draft.type == "AID" and not draft.targets:
            # at a pledging conference every pledge is for the same recipient
            draft.targets = next((p.targets for p in reversed(history) if p.type == "AID" and p.targets), [])
        if draft.mode == "visit" and any(
            sentence_of(p.trigger) == sentence_of(token) and p.mode == "visit" and p.sources == draft.sources
            for p in history
        ):
            continue  # "travelled to Vilnius, where he was received by Nauseda": one visit
        _date_and_status(draft, published, history, lead_date if in_title else None)
        _locations(draft, resolver)
        if not draft.sources and not draft.targets and not (draft.type in lex.data.types.placed and draft.locations):
            continue  # an event with no actor and no place tells the graph nothing
        if "target" in rule.requires and not draft.targets:
            continue
        if "target_or_force" in rule.requires and not draft.targets and not _invader_named(draft, resolver):
            continue
        history.append(draft)
        promise = stated_intention(draft, resolver)
        if promise is not None:
            _date_and_status(promise, published, history, None)
        for extra in [draft, *_gapped(draft, resolver), *([promise] if promise else [])]:
            for sources, targets in _dyads(extra):
                event = _build(document, extra, sources, targets)
                events.setdefault(event.id, event)
    for demand in obligations:
        _date_and_status(demand, published, history, None)
        for sources, targets in _dyads(demand):
            event = _build(document, demand, sources, targets)
            events.setdefault(event.id, event)
    return _drop_undated_repeats(_merge_told_twice(list(events.values())))


def _date_and_status(draft: Draft, published: dt.date | None, history: list[Draft], lead_date: str | None) -> None:
    """The draft's date (its own, else `lead_date` for a headline, else the publication date,
    as GDELT dates events) and status."""
    read_date(draft, published, history)
    if lead_date is not None and draft.date is None:
        draft.date, draft.date_text = lead_date, None  # the headline's event is the lead's
    draft.status = status(draft, published)
    draft.date_basis = "text" if draft.date else None
    if draft.date is None and published is not None:
        draft.date, draft.date_basis = published.isoformat(), "publication"


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


def _merge_told_twice(events: list[Event]) -> list[Event]:
    """'ISIS vowed to strike the U.S.' is one threat, though both the verb of vowing and the
    intention read from its clause make one: of two events of one type on one trigger, the one
    whose parties are all in the other is dropped, and a known mode and CAMEO code replace an
    intention's generic ones."""

    def parties(event: Event) -> frozenset[tuple[str, str]]:
        return frozenset((p.role, p.entity_id) for p in event.participants if p.role != "location")

    kept = list(events)
    for event in events:
        if not any(e is event for e in kept):
            continue  # already merged into another, or replaced by its merged copy
        fuller = next((e for e in kept if e is not event and e.type == event.type and e.trigger == event.trigger
                       and parties(event) <= parties(e) and (parties(event) < parties(e) or e.mode == "intent")), None)  # fmt: skip
        if fuller is None:
            continue
        kept.remove(event)
        if fuller.mode == "intent" and event.mode:
            kept[kept.index(fuller)] = fuller.model_copy(update={"mode": event.mode, "cameo": event.cameo})
    return kept


def _drop_undated_repeats(events: list[Event]) -> list[Event]:
    """One event told twice in an article (the headline and the body, a verb and its noun) is
    one event: of those with the same type, status and actors, the one the text dates wins,
    then the one whose mode is known, then the first told. Two acts the text dates apart and
    tells as different kinds ("held talks on Wednesday", "spoke by phone earlier this month")
    are two."""

    def key(event: Event) -> tuple[object, ...]:
        parts = sorted((p.role, p.entity_id) for p in event.participants if p.role != "location")
        return event.type, event.status, tuple(parts)

    def rank(event: Event) -> tuple[int, int]:
        return (0 if event.date_basis == "text" else 1, 0 if event.mode else 1)

    def apart(one: Event, other: Event) -> bool:
        dated = one.date_basis == other.date_basis == "text" and one.date != other.date
        return dated and None not in (one.mode, other.mode) and one.mode != other.mode

    best: dict[tuple[object, ...], list[Event]] = {}
    for event in events:
        told = best.setdefault(key(event), [])
        same = next((i for i, kept in enumerate(told) if not apart(event, kept)), None)
        if same is None:
            told.append(event)
        elif rank(event) < rank(told[same]):
            told[same] = event
    kept = {id(e) for told in best.values() for e in told}
    return [e for e in events if id(e) in kept]


def _build(document: Document, draft: Draft, sources: list[str], targets: list[str]) -> Event:
    token = draft.trigger
    sentence = sentence_of(token)
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
        date_basis=draft.date_basis,  # type: ignore[arg-type]
        sentence=document.span(sentence.start_char, sentence.end_char),
        confidence=round(draft.confidence, 3),
    )
