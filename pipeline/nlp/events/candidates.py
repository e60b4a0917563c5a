"""Event candidates: every verb, and every noun that can name an event, with at least one actor
(a named entity or a descriptive actor) in a subject, object or prepositional role.

The lexicon does not gate candidates: it is one of the classifier's features. A candidate
carries its actors by slot, which the classifier reads (the argument rules read the parse).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.nlp.agent_kinds import kind_of
from pipeline.nlp.events.lexicon import OBJECTS, PASSIVE_SUBJECTS, is_light_verb, lexicon, light_verb, rule_for
from pipeline.nlp.events.parse import container_of, context_verb, noun_sources, phrase_head, subjects_of
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Endings of nouns made from verbs or naming acts: "invasion", "deployment", "shelling".
EVENT_NOUN_ENDINGS = ("tion", "sion", "ment", "ing", "ade", "ure", "sal", "val", "cy", "ism")
MAX_SLOT_ACTORS = 6


@dataclass
class Candidate:
    token: Token
    kind: str  # "verb" or "noun"
    slots: dict[str, list[str]] = field(default_factory=dict)  # slot -> entity ids
    carrier: Token | None = None  # the verb a noun candidate hangs from ("held talks")


def is_event_noun(token: Token, learned: frozenset[str]) -> bool:
    """A noun that can name an event: a trigger of the lexicon or of the training data, a
    noun shaped like an act, or the object of a light verb ("staged a walkout")."""
    lemma = token.lemma_.lower()
    if _named_event(token, learned) or lemma in lexicon().triggers or light_verb(token) is not None:
        return True
    # "the IRA's Belfast brigade", "the opposition": shaped like acts, these name actors
    return len(lemma) > 5 and lemma.endswith(EVENT_NOUN_ENDINGS) and kind_of(token) is None


def _add(slots: dict[str, list[str]], slot: str, ids: list[str]) -> None:
    if ids:
        slots.setdefault(slot, []).extend(i for i in ids if i not in slots.get(slot, []))


def _prep_actors(token: Token, slots: dict[str, list[str]], resolver: Resolver, prefix: str = "") -> None:
    for child in token.children:
        if child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    _add(slots, f"{prefix}prep:{child.lower_}", resolver.resolve(pobj))
        elif child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    _add(slots, f"{prefix}agent", resolver.resolve(pobj))


def _verb_slots(token: Token, resolver: Resolver) -> dict[str, list[str]]:
    slots: dict[str, list[str]] = {}
    sources, passive = subjects_of(token, resolver)
    _add(slots, "subj", sources)
    _add(slots, "pass", passive)
    for child in token.children:
        if child.dep_ in OBJECTS:
            _add(slots, "obj", resolver.resolve(child))
    _prep_actors(token, slots, resolver)
    return slots


def _noun_slots(token: Token, resolver: Resolver) -> tuple[dict[str, list[str]], Token | None]:
    slots: dict[str, list[str]] = {}
    token = phrase_head(token)  # "a mediation effort between X and Y": the effort's actors
    _add(slots, "owner", noun_sources(token, resolver))
    _prep_actors(token, slots, resolver)
    holder = container_of(token)
    carrier = light_verb(holder) or context_verb(holder)
    if carrier is None and holder.dep_ in OBJECTS | PASSIVE_SUBJECTS and holder.head.pos_ == "VERB":
        carrier = holder.head  # "opened fraud investigations against …": the verb's actors
    if carrier is not None:
        sources, passive = subjects_of(carrier, resolver)
        _add(slots, "carrier_subj", sources or passive)
        _prep_actors(carrier, slots, resolver, prefix="carrier_")
    return slots, carrier


def _carries_an_event_noun(verb: Token, learned: frozenset[str]) -> bool:
    """A light verb ("held", "launched", "imposed") whose object names an event."""
    if not is_light_verb(verb):
        return False
    return any(c.dep_ in OBJECTS and c.pos_ == "NOUN" and _named_event(c, learned) for c in verb.children)


def _named_event(token: Token, learned: frozenset[str]) -> bool:
    """'the massacre', 'a coup': a noun that names an event even when no actor is named."""
    lemma = token.lemma_.lower()
    return lemma in learned or rule_for(token) is not None


def find_candidates(doc: Doc, resolver: Resolver, event_nouns: frozenset[str], *, start: int = 0) -> list[Candidate]:
    """The candidates of the document (from character `start` on), in text order."""
    found = []
    for token in doc:
        if token.idx < start:
            continue
        if token.pos_ == "VERB":
            if _carries_an_event_noun(token, event_nouns):
                continue  # "held talks": the noun is the event, the verb only carries it
            slots, kind, carrier = _verb_slots(token, resolver), "verb", None
        elif token.pos_ in {"NOUN", "PROPN"} and resolver.entity_at(token) is None and is_event_noun(token, event_nouns):
            (slots, carrier), kind = _noun_slots(token, resolver), "noun"
        else:
            continue
        slots = {k: v[:MAX_SLOT_ACTORS] for k, v in slots.items()}
        if slots or (kind == "noun" and _named_event(token, event_nouns)):
            found.append(Candidate(token=token, kind=kind, slots=slots, carrier=carrier))
    return found
