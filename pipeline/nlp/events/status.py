"""Whether: an event's status (happened, planned, negated) from tense, modality and negation.
Its date is read in `when`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pipeline.nlp import dates
from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import OBJECTS, PASSIVE_SUBJECTS, SUBJECTS, lexicon, light_verb
from pipeline.nlp.events.parse import clause_anchor, container_of, context_verb

if TYPE_CHECKING:
    from spacy.tokens import Token


def governing_verb(token: Token) -> Token:
    """The verb whose tense and modality apply to a trigger."""
    if token.pos_ == "VERB":
        return token
    if (carrier := light_verb(token)) is not None:
        return carrier
    head = token
    for _ in range(3):
        if head.dep_ in SUBJECTS | PASSIVE_SUBJECTS | OBJECTS | {"pobj", "prep"}:
            head = head.head
        if head.pos_ in {"VERB", "AUX"}:
            return head
    return token


def negated(node: Token) -> bool:
    """Whether a word is negated: "did not sign", "never met", "no agreement was signed"."""
    children = list(node.children)
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in children):
        return True
    # "no agreement was signed", "signed no deal"
    return any(
        c.dep_ in SUBJECTS | PASSIVE_SUBJECTS | OBJECTS and any(d.lower_ == "no" and d.dep_ == "det" for d in c.children)
        for c in children
    )


SPEECH_TYPES = {"AGREE", "THREATEN", "DEMAND", "REJECT"}


def speech_anchor(draft: Draft) -> Token | None:
    """The verb of saying or intending that a speech act hangs its content on: 'said' in "said
    it would release the hostages" (AGREE, trigger `release`)."""
    return clause_anchor(draft.trigger) if draft.type in SPEECH_TYPES else None


def status(draft: Draft, published: dt.date | None) -> str:
    words = lexicon().words
    token = draft.trigger
    if (anchor := speech_anchor(draft)) is not None:
        # the speech act happened when it was said. A promise of what it will not do ("said it
        # would not accept more refugees") is negated; a refusal ("will not surrender") is one.
        return "negated" if negated(anchor) or (negated(token) and draft.type != "REJECT") else "happened"
    verb = governing_verb(token)
    if token.pos_ != "VERB" and light_verb(container_of(token)) is None and context_verb(container_of(token)) is not None:
        verb = token  # "failed to conclude … at talks in Brussels": the talks did happen
    chain = [token, verb]
    if verb.dep_ in {"conj", "xcomp"}:
        chain.append(verb.head)
    if any(negated(node) for node in chain):
        return "negated"
    if token.pos_ != "VERB" and any(c.lower_ == "no" and c.dep_ == "det" for c in token.children):
        return "negated"
    for node in chain:
        if node.dep_ in {"ccomp", "xcomp"} and node.head.lemma_.lower() in words.negating_heads:
            return "negated"  # "denied that it had supplied", "failed to conclude"
    pending = words.plan_heads | words.commitment_heads  # planned, or promised and not yet done
    for node in chain:
        if any(c.dep_ == "aux" and c.lower_ in words.future_auxiliaries | words.obligation_auxiliaries
               for c in node.children):  # fmt: skip
            return "planned"
        if node.dep_ in {"xcomp", "acomp"} and node.head.lemma_.lower() in pending:
            return "planned"
        if node.dep_ == "xcomp" and node.head.dep_ == "acomp" and node.head.lemma_.lower() in pending:
            return "planned"
        if node.dep_ == "advcl" and any(c.lower_ == "if" for c in node.children):
            return "planned"
        if node.lemma_.lower() in words.plan_heads and node is not token and node.pos_ == "VERB":
            if any(c.dep_ in PASSIVE_SUBJECTS | SUBJECTS and c.i == token.i for c in node.children):
                return "planned"
    if token.pos_ != "VERB":
        if any(c.lower_ in words.plan_modifiers for c in token.children):
            return "planned"
        if token.head.lemma_.lower() in words.plan_heads or token.head.lower_ in words.plan_modifiers:
            return "planned"
    if dates.is_after(draft.date, published):
        return "planned"
    return "happened"


def is_future(draft: Draft) -> bool:
    words = lexicon().words
    verb = governing_verb(draft.trigger)
    nodes = [verb, verb.head] if verb.dep_ in {"conj", "xcomp", "acomp"} else [verb]
    for node in nodes:
        if any(c.dep_ == "aux" and c.lower_ in words.future_auxiliaries for c in node.children):
            return True
        # "agreed to hold talks on Monday" is a plan; "agreed to a ceasefire on Tuesday" is not,
        # nor are the "clashes" that "agreed on a truce on Tuesday after clashes" tells of
        heads = words.plan_heads | ({"agree"} if node.i not in {draft.trigger.i, verb.i} else set())
        if node.lemma_.lower() in heads or node.head.lemma_.lower() in words.plan_heads:
            return True
        if any(c.dep_ == "acomp" and c.lemma_.lower() in words.plan_heads for c in node.children):
            return True  # "is due in Baghdad on Sunday for talks"
    return draft.trigger.head.lower_ in words.plan_modifiers or any(
        c.lower_ in words.plan_modifiers for c in draft.trigger.children
    )
