"""When and whether: an event's status (happened, planned, negated) from tense, modality and
negation, and its date from the temporal expressions nearest its trigger."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from models import Document
from pipeline.nlp import dates
from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import OBJECTS, PASSIVE_SUBJECTS, SUBJECTS, lexicon, light_verb
from pipeline.nlp.events.parse import clause_anchor, container_of, context_verb
from pipeline.nlp.model import sentence_ents, sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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


def _negated(node: Token) -> bool:
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
        return "negated" if _negated(anchor) or (_negated(token) and draft.type != "REJECT") else "happened"
    verb = governing_verb(token)
    if token.pos_ != "VERB" and light_verb(container_of(token)) is None and context_verb(container_of(token)) is not None:
        verb = token  # "failed to conclude … at talks in Brussels": the talks did happen
    chain = [token, verb]
    if verb.dep_ in {"conj", "xcomp"}:
        chain.append(verb.head)
    if any(_negated(node) for node in chain):
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


def _is_future(draft: Draft) -> bool:
    words = lexicon().words
    verb = governing_verb(draft.trigger)
    nodes = [verb, verb.head] if verb.dep_ in {"conj", "xcomp", "acomp"} else [verb]
    for node in nodes:
        if any(c.dep_ == "aux" and c.lower_ in words.future_auxiliaries for c in node.children):
            return True
        if node.lemma_.lower() in words.plan_heads | {"agree"} or node.head.lemma_.lower() in words.plan_heads:
            return True
    return draft.trigger.head.lower_ in words.plan_modifiers or any(
        c.lower_ in words.plan_modifiers for c in draft.trigger.children
    )


def _date_candidates(token: Token) -> list[Any]:
    """DATE entities of the sentence, 'the 9th' that spaCy calls an ORDINAL, and a month
    name compounded into the trigger ('Putin's May visit')."""
    sentence = sentence_of(token)
    found = [e for e in sentence_ents(sentence) if e.label_ == "DATE"]
    for ent in sentence_ents(sentence):
        if ent.label_ == "ORDINAL" and ent.start > 1 and ent.doc[ent.start - 1].lower_ == "the":
            if ent.doc[ent.start - 2].lower_ == "on":
                found.append(ent)
    found += [
        token.doc[c.i : c.i + 1]
        for c in token.children
        if c.dep_ in {"compound", "npadvmod"} and c.lower_ in dates.MONTH_NAMES
    ]
    return found


def read_date(draft: Draft, published: dt.date | None, history: list[Draft]) -> None:
    token = draft.trigger
    candidates = _date_candidates(token)
    if not candidates:
        _date_from_context(draft, history)
        return
    verb = governing_verb(token)
    anchors = {token.i, verb.i}
    said = speech_anchor(draft)
    clause = next((a for a in [verb, *verb.ancestors] if a.dep_ == "ccomp"), None)
    if said is not None:  # "agreed on Monday to hold talks in March": dated when agreed
        content = {t.i for t in token.subtree}
        candidates = [e for e in candidates if e.start not in content]
        anchors = {said.i}
    elif clause is not None:  # 'Iran on Wednesday denied that it had supplied missiles'
        inside = {t.i for t in clause.subtree}
        candidates = [e for e in candidates if e.start in inside]

    told = {e.start: _clause_told(e, token, verb) for e in candidates}
    candidates = [e for e in candidates if told[e.start] != "another"]
    governed = {t.i for anchor in (token, verb) for t in anchor.subtree}

    def distance(ent) -> tuple[int, int, int]:
        inside = any(t.i in governed for t in ent)
        return (int(told[ent.start] == "conjoined"), 0 if inside else 1, min(abs(ent.start - a) for a in anchors))

    future = _is_future(draft) and said is None
    for ent in sorted(candidates, key=distance):
        text = f"the {ent.text}" if ent.label_ == "ORDINAL" else ent.text
        if not future and _governed_by_for(ent):
            continue  # "pledged 1.3 billion euros for 2026": the years the money covers
        if ent.text.lower().endswith("same day") and history and history[-1].date:
            draft.date, draft.date_text = history[-1].date, ent.text
            return
        if (resolved := dates.resolve(text, published, future=future)) is not None:
            draft.date, draft.date_text = resolved, ent.text
            return
    _date_from_context(draft, history)


CLAUSE_MODIFIERS = {"relcl", "acl"}


def _clause_told(ent: Any, token: Token, verb: Token) -> str | None:
    """Whether a date is told of another clause than the trigger's. "another": "did not
    congratulate Biya, who has ruled since 1982", "condemned air strikes carried out by Israel
    on Monday", "arrested 37 people, and on Monday the government restricted …", or, for a
    trigger inside a relative clause ("the NUG, which blamed the military"), any date outside
    it. "conjoined": a date at the end of a conjoined clause, which dates the trigger only when
    its own clause has none ("arrived in Moscow and held talks with Putin on Tuesday")."""
    own = {token.i, verb.i}
    embedded = False  # under a clause of its own ("called on Berlin to end them by the spring")
    for node in [ent.root, *ent.root.ancestors]:
        if node.i in own:
            return None
        if any(t.i in own for t in node.subtree):
            continue
        if node.dep_ in CLAUSE_MODIFIERS and node.head.i not in own:
            return "another"
        if node.dep_ == "conj" and node.pos_ in {"VERB", "AUX"}:
            return "another" if ent.start < node.i or embedded else "conjoined"
        embedded |= node.dep_ in {"xcomp", "ccomp", "advcl"}
    relative = next((a for a in [verb, *verb.ancestors] if a.dep_ == "relcl"), None)
    if relative is None or relative.head.dep_ != "pobj" or any(c.lower_ in {"where", "when"} for c in relative.children):
        return None  # "hosted Ishiba on Tuesday, where the two leaders signed …": then, too
    return None if ent.root.i in {t.i for t in relative.subtree} else "another"


def _governed_by_for(ent: Any) -> bool:
    node = ent.root
    while node.dep_ in {"conj", "appos"} and node.head is not node:
        node = node.head
    return node.head.lower_ == "for"


def _date_from_context(draft: Draft, history: list[Draft]) -> None:
    """'During the visit, Ishiba pledged …': the date of the event referred to. 'Kallas is
    expected to travel to Kyiv on Monday. She will meet Zelensky': the date of the same
    actor's event just told, in this sentence or the one before."""
    anaphoric = lexicon().data.anaphoric_nouns
    sentence = sentence_of(draft.trigger)
    verb = governing_verb(draft.trigger)
    if not any(c.dep_ in SUBJECTS and c.pos_ == "PRON" for c in verb.children):
        history = []  # only "She will meet …" carries the date of what she was just said to do
    for previous in reversed(history):
        gap = sentence.start - sentence_of(previous.trigger).start
        if sentence_of(previous.trigger).start > sentence.start or gap > 0 and sentence_of(previous.trigger).end < sentence.start - 1:
            break
        if previous.date and previous.sources and previous.sources == draft.sources:
            draft.date, draft.date_text = previous.date, previous.date_text
            return
    for node in sentence_of(draft.trigger):
        if node.dep_ == "pobj" and node.head.lower_ in {"during", "after", "at", "following"} and node.lower_ in anaphoric:
            if not any(c.dep_ == "det" and c.lower_ == "the" for c in node.children):
                continue
            wanted = anaphoric[node.lower_]
            for previous in reversed(history):
                if previous.date and (not wanted or previous.type in wanted or f"{previous.type}/{previous.mode}" in wanted):
                    draft.date, draft.date_text = previous.date, None
                    return


def lead_date_of(document: Document, doc: Doc, published: dt.date | None) -> str | None:
    """The first date of the first body sentence: when the headline's news happened."""
    for sentence in doc.sents:
        if sentence.start_char < document.body_offset or not sentence.text.strip():
            continue
        for ent in sentence_ents(sentence):
            if ent.label_ == "DATE" and (resolved := dates.resolve(ent.text, published)):
                return resolved
        return None
    return None
