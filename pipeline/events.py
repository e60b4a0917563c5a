"""Stage 5a, events: PLOVER events from rules over spaCy's dependency parse.

The trigger lexicon lives in `data/events.toml`; this module holds the generic argument
rules: subjects and objects of verbs (active and passive), possessors and prepositional
objects of nouns ("Putin's visit to China"), light verbs ("held talks with"), coordination
("visited Beijing and met with Xi"), reported speech ("warned that Y could face sanctions"),
and pronouns or "the two leaders" resolved within the article.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models import Document, Entity, Event, Participant, Span
from pipeline import dates
from pipeline.data_files import load
from pipeline.entities import EntityLayer, entity_id

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "attr", "oprd"}
FUTURE_AUX = {"will", "would", "may", "might", "could", "shall", "'ll", "can", "should"}
PLAN_HEADS = {
    "plan", "expect", "schedule", "set", "due", "intend", "aim", "hope", "prepare", "seek",
    "want", "propose", "consider", "likely", "poise", "slate", "look",
}  # fmt: skip
PLAN_MODIFIERS = {"planned", "upcoming", "expected", "scheduled", "possible", "potential", "proposed", "forthcoming", "future"}
NEGATING_HEADS = {"deny", "refute"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_WORDS = {"leader": "PERSON", "president": "PERSON", "minister": "PERSON", "side": "ANY",
               "country": "GPE", "nation": "GPE", "government": "GPE", "capital": "GPE"}  # fmt: skip
RESTRICT_WORDS = {"sanction", "sanctions", "tariff", "embargo", "ban", "restriction", "blacklist", "penalty", "duty", "levy"}
FORCE_WORDS = {"strike", "attack", "force", "retaliate", "retaliation", "military", "war", "invade"}


@dataclass(frozen=True)
class TriggerRule:
    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    type: str
    mode: str
    cameo: str
    target_preps: tuple[str, ...] = ()
    symmetric: bool = False
    ccomp_target: bool = False
    requires_target: bool = False
    requires_phone: bool = False
    not_phone: bool = False
    requires_aid_object: bool = False
    requires_light_verb: bool = False
    target_is_location: bool = False


@functools.cache
def _lexicon() -> tuple[dict[str, list[TriggerRule]], frozenset[str], frozenset[str]]:
    data = load("events.toml")
    index: dict[str, list[TriggerRule]] = {}
    for raw in data["trigger"]:
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        values.pop("requires_violence_context", None)
        rule = TriggerRule(**values)
        for lemma in rule.lemmas:
            index.setdefault(lemma, []).append(rule)
    return index, frozenset(data["light_verbs"]), frozenset(data["aid_objects"]["lemmas"])


@dataclass
class _Draft:
    rule: TriggerRule
    trigger: Token
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    status: str = "happened"
    date: str | None = None
    date_text: str | None = None
    mode: str | None = None
    cameo: str | None = None
    confidence: float = 0.9


class _Resolver:
    """Finds the entity a token stands for, resolving pronouns and "the two leaders"."""

    def __init__(self, layer: EntityLayer, entities: dict[str, Entity]):
        self.layer = layer
        self.entities = entities

    def entity_at(self, token: Token) -> str | None:
        return self.layer.at_token(token.i)

    def as_country(self, entity_id_: str) -> str:
        """A nationality word stands for its country."""
        entity = self.entities.get(entity_id_)
        if entity is not None and entity.type == "NORP" and "country" in entity.attributes:
            return entity_id("GPE", "", entity.attributes["country"])
        return entity_id_

    def resolve(self, token: Token) -> list[str]:
        """Entities that a noun-phrase head stands for (several for "X and Y")."""
        found = self._resolve_one(token)
        ids = [found] if found else []
        for conj in token.conjuncts:
            if conj.i > token.i and (other := self._resolve_one(conj)):
                ids.append(other)
        if not ids and token.lemma_.lower() in GROUP_WORDS:
            ids = self._recent_group(token)
        return [self.as_country(i) for i in dict.fromkeys(ids)]

    def _resolve_one(self, token: Token) -> str | None:
        if found := self.entity_at(token):
            return found
        lower = token.lower_
        if token.pos_ == "PRON" and lower in PERSON_PRONOUNS:
            return self._recent(token, {"PERSON"})
        if token.pos_ in {"NOUN", "PROPN"}:
            for child in token.children:
                if child.dep_ in {"compound", "amod", "poss", "nmod"} and (found := self.entity_at(child)):
                    entity = self.entities.get(found)
                    if entity is not None and entity.type in {"NORP", "GPE", "ORG"}:
                        return found
        return None

    def _recent(self, token: Token, types: set[str]) -> str | None:
        """The entity of those types mentioned last before `token`."""
        for span in reversed(self.layer.spans):
            if span.token_end <= token.i and self.entities[span.entity_id].type in types:
                return span.entity_id
        return None

    def _recent_group(self, token: Token) -> list[str]:
        """'the two leaders' / 'both countries': the last two distinct actors of that kind."""
        if not any(c.lower_ in {"two", "both"} for c in token.children) and token.lower_ != "both":
            return []
        kind = GROUP_WORDS[token.lemma_.lower()]
        types = {"PERSON"} if kind == "PERSON" else {"GPE"} if kind == "GPE" else {"PERSON", "GPE"}
        found: list[str] = []
        for span in reversed(self.layer.spans):
            if span.token_end <= token.i and self.entities[span.entity_id].type in types:
                if span.entity_id not in found:
                    found.append(span.entity_id)
                if len(found) == 2:
                    return found
        return []


def _rule_for(token: Token) -> TriggerRule | None:
    index, _, aid_objects = _lexicon()
    lemma = token.lemma_.lower()
    kind = "VERB" if token.pos_ == "VERB" else "NOUN" if token.pos_ in {"NOUN", "PROPN"} else None
    if kind is None:
        return None
    children = {c.lower_ for c in token.children}
    phone = "phone" in children or "telephone" in children or any(
        c.lower_ in {"phone", "telephone"} for c in token.subtree
    ) or token.lower_ in {"phone", "telephone"}
    for rule in index.get(lemma, []):
        if kind not in rule.pos:
            continue
        if rule.requires_phone and lemma == "call" and kind == "VERB" and not phone:
            continue
        if rule.requires_phone and lemma == "speak" and not phone and "with" not in children:
            continue
        if rule.not_phone and lemma == "call" and ("on" not in children and "for" not in children):
            continue
        if rule.requires_aid_object and not any(
            c.dep_ in OBJECTS and c.lemma_.lower() in aid_objects for c in token.children
        ):
            continue
        return rule
    return None


def _light_verb(token: Token) -> Token | None:
    """The verb carrying a noun trigger: 'held talks', 'imposed sanctions', 'his visit'."""
    _, light_verbs, _ = _lexicon()
    head = token.head
    if token.dep_ in OBJECTS | PASSIVE_SUBJECTS and head.pos_ in {"VERB", "AUX"}:
        if head.lemma_.lower() in light_verbs:
            return head
    return None


def _subject(verb: Token, resolver: _Resolver, seen: int = 0) -> tuple[list[str], list[str]]:
    """(sources, passive targets) of a verb, inherited through coordination and control."""
    sources: list[str] = []
    passive: list[str] = []
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            sources += resolver.resolve(child)
        elif child.dep_ in PASSIVE_SUBJECTS:
            passive += resolver.resolve(child)
        elif child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    sources += resolver.resolve(pobj)
    if sources or passive or seen > 3:
        return sources, passive
    if verb.dep_ == "conj" or verb.dep_ in {"xcomp", "advcl"}:
        head_sources, head_passive = _subject(verb.head, resolver, seen + 1)
        if verb.dep_ == "xcomp" and not head_sources and head_passive:
            return head_passive, []  # "Putin is scheduled to visit": the controller
        return head_sources, [] if verb.dep_ != "conj" else head_passive
    if verb.dep_ == "relcl" and (found := resolver.resolve(verb.head)):
        return found, []
    if verb.dep_ in {"acl", "relcl", "advcl"} and (rule := _rule_for(verb.head)) is not None:
        noun_sources = _noun_sources(verb.head, resolver)
        return noun_sources, []
    return sources, passive


def _noun_sources(noun: Token, resolver: _Resolver) -> list[str]:
    sources: list[str] = []
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in {"compound", "amod", "nmod"} and resolver.entity_at(child)):
            sources += resolver.resolve(child)
        elif child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            sources += [e for p in child.children if p.dep_ == "pobj" for e in resolver.resolve(p)]
    return sources


def _prep_targets(token: Token, preps: tuple[str, ...], resolver: _Resolver) -> list[str]:
    targets: list[str] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    targets += resolver.resolve(pobj)
    return targets


def _arguments(draft: _Draft, resolver: _Resolver) -> None:
    token, rule = draft.trigger, draft.rule
    if token.pos_ == "VERB":
        sources, passive = _subject(token, resolver)
        targets = list(passive)
        for child in token.children:
            if child.dep_ in OBJECTS:
                targets += resolver.resolve(child)
        targets += _prep_targets(token, rule.target_preps, resolver)
        if rule.ccomp_target:
            for child in token.children:
                if child.dep_ in {"ccomp", "xcomp"}:
                    clause_subject, clause_passive = _subject(child, resolver)
                    targets += clause_subject + clause_passive
                    _restrict_or_force(draft, child)
    else:
        sources = _noun_sources(token, resolver)
        targets = _prep_targets(token, rule.target_preps, resolver)
        if (carrier := _light_verb(token)) is not None:
            verb_sources, _ = _subject(carrier, resolver)
            sources = sources or verb_sources
            targets += _prep_targets(carrier, rule.target_preps, resolver)
        elif token.dep_ in SUBJECTS and rule.symmetric:
            pass
    if rule.symmetric and len(sources) >= 2 and not targets:
        sources, targets = sources[:1], sources[1:]
    if rule.symmetric and not sources and len(targets) >= 2:
        sources, targets = targets[:1], targets[1:]
    if rule.target_is_location:
        draft.locations = [t for t in targets if t.startswith(("place:", "country:"))]
        targets = [t for t in targets if t not in draft.locations] or draft.locations[:1]
    draft.sources = list(dict.fromkeys(sources))
    draft.targets = [t for t in dict.fromkeys(targets) if t not in draft.sources]


def _restrict_or_force(draft: _Draft, clause: Token) -> None:
    words = {t.lemma_.lower() for t in clause.subtree}
    if words & RESTRICT_WORDS:
        draft.mode, draft.cameo = "restrict", "1312"
    elif words & FORCE_WORDS:
        draft.mode, draft.cameo = "force", "138"


def _governing_verb(token: Token) -> Token:
    """The verb whose tense and modality apply to a trigger."""
    if token.pos_ == "VERB":
        return token
    if (carrier := _light_verb(token)) is not None:
        return carrier
    head = token
    for _ in range(3):
        if head.dep_ in SUBJECTS | PASSIVE_SUBJECTS | OBJECTS | {"pobj", "prep"}:
            head = head.head
        if head.pos_ in {"VERB", "AUX"}:
            return head
    return token


def _status(draft: _Draft, published) -> str:
    token = draft.trigger
    verb = _governing_verb(token)
    chain = [token, verb]
    if verb.dep_ in {"conj", "xcomp"}:
        chain.append(verb.head)
    for node in chain:
        children = list(node.children)
        if any(c.dep_ == "neg" for c in children) or any(c.lower_ in {"no", "never"} for c in children):
            return "negated"
    if token.pos_ != "VERB" and any(c.lower_ == "no" and c.dep_ == "det" for c in token.children):
        return "negated"
    if verb.head.lemma_.lower() in NEGATING_HEADS and verb.dep_ == "ccomp":
        return "negated"
    for node in chain:
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in node.children):
            return "planned"
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in PLAN_HEADS:
            return "planned"
        if node.dep_ == "advcl" and any(c.lower_ == "if" for c in node.children):
            return "planned"
        if node.lemma_.lower() in PLAN_HEADS and node is not token and node.pos_ == "VERB":
            if any(c.dep_ in PASSIVE_SUBJECTS | SUBJECTS and c.i == token.i for c in node.children):
                return "planned"
    if token.pos_ != "VERB":
        if any(c.lower_ in PLAN_MODIFIERS for c in token.children):
            return "planned"
        if token.head.lemma_.lower() in PLAN_HEADS or token.head.lower_ in PLAN_MODIFIERS:
            return "planned"
    if dates.is_after(draft.date, published):
        return "planned"
    return "happened"


def _is_future(draft: _Draft) -> bool:
    verb = _governing_verb(draft.trigger)
    nodes = [verb, verb.head] if verb.dep_ in {"conj", "xcomp"} else [verb]
    for node in nodes:
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX | {"to"} for c in node.children):
            return True
        if node.lemma_.lower() in PLAN_HEADS or node.head.lemma_.lower() in PLAN_HEADS:
            return True
    return draft.trigger.head.lower_ in PLAN_MODIFIERS or any(
        c.lower_ in PLAN_MODIFIERS for c in draft.trigger.children
    )


def _date_candidates(sentence) -> list:
    """DATE entities in the sentence, plus 'the 9th' that spaCy calls an ORDINAL."""
    found = [e for e in sentence.ents if e.label_ == "DATE"]
    for ent in sentence.ents:
        if ent.label_ == "ORDINAL" and ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the":
            if ent.start > 1 and ent.doc[ent.start - 2].lower_ == "on":
                found.append(ent)
    return found


def _date(draft: _Draft, published) -> None:
    token = draft.trigger
    candidates = _date_candidates(token.sent)
    candidates += [
        token.doc[c.i : c.i + 1]
        for c in token.children
        if c.dep_ in {"compound", "npadvmod"} and c.lower_ in dates.MONTH_NAMES
    ]
    if not candidates:
        return
    verb = _governing_verb(token)
    anchors = {token.i, verb.i}

    def distance(ent) -> tuple[int, int]:
        inside = any(t.i in {a for a in anchors} or any(h.i in anchors for h in t.ancestors) for t in ent)
        return (0 if inside else 1, min(abs(ent.start - a) for a in anchors))

    future = _is_future(draft)
    for ent in sorted(candidates, key=distance):
        text = ent.text
        if ent.label_ == "ORDINAL":
            text = f"the {ent.text}"
        if (resolved := dates.resolve(text, published, future=future)) is not None:
            draft.date, draft.date_text = resolved, ent.text
            return


def _locations(draft: _Draft, resolver: _Resolver) -> None:
    verb = _governing_verb(draft.trigger)
    for node in {draft.trigger, verb}:
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in {"in", "at"}:
                for pobj in child.children:
                    for entity in resolver.resolve(pobj) if pobj.dep_ == "pobj" else []:
                        if entity.startswith("place:") and entity not in draft.targets:
                            draft.locations.append(entity)


def _event_id(draft: _Draft) -> str:
    sources, targets = sorted(draft.sources), sorted(draft.targets)
    if draft.rule.symmetric:
        sources, targets = sorted(sources + targets), []
    key = "|".join([draft.rule.type, draft.mode or "", ",".join(sources), ",".join(targets),
                    draft.date or "", draft.status])  # fmt: skip
    return "ev:" + hashlib.sha1(key.encode()).hexdigest()[:16]


def extract_events(document: Document, doc: Doc, layer: EntityLayer) -> list[Event]:
    """Every event the rules find in the document, deduplicated within the article."""
    entities = layer.by_id()
    resolver = _Resolver(layer, entities)
    published = document.article.published_date
    events: dict[str, Event] = {}
    for token in doc:
        rule = _rule_for(token)
        if rule is None or _covered_by_verb(token) or _inside_threat(token):
            continue
        if rule.requires_light_verb and _light_verb(token) is None:
            continue
        draft = _Draft(rule=rule, trigger=token, mode=rule.mode, cameo=rule.cameo)
        _arguments(draft, resolver)
        if not draft.sources and not draft.targets:
            continue
        if rule.requires_target and not draft.targets:
            continue
        _date(draft, published)
        draft.status = _status(draft, published)
        _locations(draft, resolver)
        event = _build(document, draft)
        if event.id not in events:
            events[event.id] = event
    return _drop_undated_repeats(list(events.values()))


def _drop_undated_repeats(events: list[Event]) -> list[Event]:
    """An undated event that repeats a dated one of the same article (a headline, say) is
    the same event, told again without its date."""

    def key(event: Event) -> tuple:
        parts = sorted((p.role, p.entity_id) for p in event.participants if p.role != "location")
        return event.type, event.mode, event.status, tuple(parts)

    dated = {key(e) for e in events if e.date}
    return [e for e in events if e.date or key(e) not in dated]


def _inside_threat(token: Token) -> bool:
    """A trigger inside what a threat threatens ('warned that banks could face sanctions if
    they support Russia') is part of that threat, not an event of its own."""
    child = token
    for ancestor in token.ancestors:
        if child.dep_ == "ccomp" and (rule := _rule_for(ancestor)) and rule.ccomp_target:
            return True
        child = ancestor
    return False


def _covered_by_verb(token: Token) -> bool:
    """A noun trigger that is the object of a verb trigger of the same type is one event."""
    if token.pos_ == "VERB":
        return False
    head = token.head
    if head.i == token.i or head.pos_ != "VERB":
        return False
    head_rule, own = _rule_for(head), _rule_for(token)
    return head_rule is not None and own is not None and head_rule.type == own.type


def _build(document: Document, draft: _Draft) -> Event:
    token = draft.trigger
    sentence = token.sent
    field_name, start, end = document.locate(token.idx, token.idx + len(token.text))
    s_field, s_start, s_end = document.locate(sentence.start_char, sentence.end_char)
    confidence = draft.confidence - (0.1 if not draft.targets else 0.0) - (0.1 if token.pos_ != "VERB" else 0.0)
    participants = [Participant(entity_id=e, role="source") for e in draft.sources]
    participants += [Participant(entity_id=e, role="target") for e in draft.targets]
    participants += [Participant(entity_id=e, role="location") for e in dict.fromkeys(draft.locations)
                     if e not in draft.sources and e not in draft.targets]  # fmt: skip
    return Event(
        id=_event_id(draft),
        type=draft.rule.type,
        mode=draft.mode,
        cameo=draft.cameo,
        status=draft.status,  # type: ignore[arg-type]
        trigger=Span(field=field_name, start=start, end=end, text=token.text),
        participants=participants,
        date=draft.date,
        date_text=draft.date_text,
        sentence=Span(field=s_field, start=s_start, end=s_end, text=sentence.text.strip()),
        confidence=round(max(0.1, confidence), 2),
    )
