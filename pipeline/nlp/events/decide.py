"""Which candidates are events, and of which type: the classifier decides, with the lexicon as
a strong prior; then the triggers that name one act twice are folded into one ("signed an
agreement", "in a raid, gunmen killed", "a mediation effort")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pipeline.nlp.events.candidates import find_candidates
from pipeline.nlp.events.classifier import EventModel
from pipeline.nlp.events.features import dense, features
from pipeline.nlp.events.lexicon import OBJECTS, PASSIVE_SUBJECTS, rule_for
from pipeline.nlp.events.parse import phrase_head
from pipeline.nlp.events.status import SPEECH_TYPES
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def typed_triggers(doc: Doc, resolver: Resolver, model: EventModel) -> list[tuple[Token, str, float]]:
    """Each candidate that is an event, with its PLOVER type and confidence, in text order.

    The classifier decides, with the lexicon as a strong prior: a candidate a trigger rule
    names is an event of the rule's type unless the classifier is all but sure it is none
    (`veto`) or sure of another type (`override`); any other candidate is an event when the
    classifier's P(NONE) is below `none_threshold` and its type's probability reaches
    `type_floor`. A noun event under a verb event of the
    same type is the verb's ('signed an agreement')."""
    candidates = find_candidates(doc, resolver, model.event_nouns)
    if not candidates:
        return []
    probabilities = model.probabilities([features(c, resolver) for c in candidates],
                                        np.vstack([dense(c) for c in candidates]))
    typed: dict[int, tuple[Token, str, float]] = {}
    for candidate, row in zip(candidates, probabilities, strict=True):
        best = 1 + int(row[1:].argmax())  # classes[0] is NONE
        choice: tuple[str, float] | None = None
        rule = rule_for(candidate.token)
        if rule is not None and row[0] < model.setting("veto"):
            prior = float(row[model.classes.index(rule.type)])
            choice = (rule.type, max(prior, model.setting("rule_floor")))
            if model.classes[best] != rule.type and row[best] >= model.setting("override"):
                choice = (model.classes[best], float(row[best]))
        elif rule is None and row[0] < model.setting("none_threshold") and row[best] >= model.setting("type_floor"):
            choice = (model.classes[best], float(row[best]))
        if choice is not None:
            typed[candidate.token.i] = (candidate.token, *choice)
    # "a mediation effort": the effort is the mediation's phrase, not an event of its own
    named_inside = {head.i for t in typed.values() if (head := phrase_head(t[0])).i != t[0].i}
    return [t for t in typed.values() if not _covered_by_verb(t[0], t[1], typed) and not _same_attack(t, typed)
            and t[0].i not in named_inside]  # fmt: skip


VIOLENCE = {"FIGHT", "ASSAULT"}


def _same_attack(trigger: tuple[Token, str, float], typed: dict[int, tuple[Token, str, float]]) -> bool:
    """'shelled Juba, killing three': the killing is what the shelling did, one act; so is the
    raid of 'in a raid, gunmen killed 14'."""
    token, event_type, _ = trigger
    if event_type not in VIOLENCE:
        return False
    verb = None
    if token.dep_ == "pobj" and token.head.dep_ == "prep" and not any(c.dep_ == "prep" for c in token.children):
        verb = typed.get(token.head.head.i)  # "in a raid, gunmen killed 14"
    elif token.dep_ == "nsubj" and token.pos_ == "NOUN":
        verb = typed.get(token.head.i)  # "a roadside bombing killed one soldier"
    if verb is not None:
        return verb[1] in VIOLENCE and verb[0].pos_ == "VERB"
    if token.dep_ not in {"advcl", "xcomp", "conj"} or token.tag_ != "VBG" or token.head.i == token.i:
        return False
    # "shelled Juba, killing three"; "opened fire on a bus, wounding nine": the verb or its object
    heads = [token.head, *(c for c in token.head.children if c.dep_ in OBJECTS)]
    return any((head := typed.get(h.i)) is not None and head[1] in VIOLENCE and h.i != token.i for h in heads)


def _covered_by_verb(token: Token, event_type: str, typed: dict[int, tuple[Token, str, float]]) -> bool:
    """A noun trigger under a verb trigger of the same type is that verb's event: 'signed an
    agreement', 'pledged 1.6 billion yen in security assistance'; the object of a speech act's
    content verb is that speech act's ('said it would provide aid' is the promise, not aid)."""
    if token.pos_ == "VERB":
        return False
    node, through_preposition = token, False
    for _ in range(4):
        if node.dep_ not in OBJECTS | PASSIVE_SUBJECTS | {"pobj", "prep", "compound", "nmod", "npadvmod"}:
            return False
        through_preposition |= node.dep_ == "prep"
        node = node.head
        if node.pos_ == "VERB":
            if node.i not in typed:
                return False
            head_type = typed[node.i][1]
            return head_type == event_type or (head_type in SPEECH_TYPES and not through_preposition)
    return False
