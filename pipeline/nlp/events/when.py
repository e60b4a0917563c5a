"""When: an event's date from the temporal expressions of its own clause nearest its trigger,
from the act last told ("the same evening", "two days later"), or from the event a phrase
refers to ("during the visit")."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from models import Document
from pipeline.nlp import dates
from pipeline.nlp.events.clauses import clause_told
from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import SUBJECTS, lexicon
from pipeline.nlp.events.status import governing_verb, is_future, negated, speech_anchor
from pipeline.nlp.model import sentence_ents, sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


DAY_PARTS = {"day", "morning", "afternoon", "evening", "night"}
def _from_last_act(history: list[Draft], shift: int, future: bool, token: Token, published: dt.date | None) -> str | None:
    """The day `shift` days after the last act the text dates, on its own or forward from
    another ("two days later, … that night"), not "the day before", which steps back from the
    story ("met Kuku the day before … criticised the same evening" is the evening of the
    signing), when that names a day. What happened counts from what happened, not from a plan.
    A day named since that act, in the two sentences before, counts instead ("The strike began
    on March 10 … Two days later, workers blocked the highway")."""
    earlier = next((d for d in reversed(history)
                    if d.date and d.date_text and (dates.days_after_last_act(d.date_text) or 0) >= 0
                    and (future or d.status != "planned")), None)  # fmt: skip
    start = earlier.trigger.i if earlier is not None else -1
    date = earlier.date if earlier is not None else None
    if (named := _last_day_named(token, published, future, after=start)) is not None:
        date = named
    if date is None:
        return None
    if shift == 0:
        return date
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        return None  # a month or a year: no day to count from
    return (day + dt.timedelta(days=shift)).isoformat()


def _last_day_named(token: Token, published: dt.date | None, future: bool, after: int) -> str | None:
    """The day the last date of the two sentences before the trigger's names, if it is past
    `after` and told in the same tense ("will meet the union on Friday" dates no past act)."""
    earlier: list[Span] = []
    start = sentence_of(token).start
    while len(earlier) < 2 and start > 0:  # the two sentences before, not every one of the doc
        earlier.insert(0, sentence_of(token.doc[start - 1]))
        start = earlier[0].start
    ents = [e for s in earlier for e in sentence_ents(s) if e.label_ == "DATE" and e.start > after
            and _told_of_future(e) == future]  # fmt: skip
    for ent in reversed(ents):
        if dates.days_after_last_act(ent.text) is not None:
            return None  # counted from an act itself
        resolved = dates.resolve(ent.text, published)
        return resolved if resolved is not None and len(resolved) == 10 else None
    return None


def _date_candidates(token: Token) -> list[Any]:
    """DATE entities of the sentence (and TIME ones that name a weekday: 'Sunday night'), 'the
    9th' that spaCy calls an ORDINAL, and a month name compounded into the trigger ('Putin's
    May visit')."""
    sentence = sentence_of(token)
    found = [e for e in sentence_ents(sentence) if e.label_ == "DATE"
             or e.label_ == "TIME" and any(t.lower_ in dates.DAY_NAMES for t in e)]  # "on Sunday night"
    for ent in sentence_ents(sentence):
        if ent.label_ == "ORDINAL" and ent.start > 1 and ent.doc[ent.start - 1].lower_ == "the":
            if ent.doc[ent.start - 2].lower_ == "on":
                found.append(ent)
    for word in sentence[1:]:  # "the same evening", "that night": the tagger often misses them
        before = word.doc[word.i - 1].lower_
        if (
            word.lower_ in DAY_PARTS
            and before in {"same", "that"}
            and not any(e.start <= word.i < e.end for e in found)
        ):
            start = word.i - 2 if before == "same" and word.doc[word.i - 2].lower_ == "the" else word.i - 1
            found.append(word.doc[start : word.i + 1])
    for word in sentence:  # "Within hours, …", "Hours later …": the day of the act last told
        if word.lower_ in {"hours", "minutes"}:
            start = word.i - 1 if word.i > sentence.start and word.doc[word.i - 1].lower_ == "within" else word.i
            later = word.i + 1 < sentence.end and word.doc[word.i + 1].lower_ == "later"
            if start < word.i or later:
                found.append(word.doc[start : word.i + 1 + later])
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

    told = {e.start: clause_told(e, token, verb) for e in candidates}
    candidates = [e for e in candidates if told[e.start] != "another"]
    governed = {t.i for anchor in (token, verb) for t in anchor.subtree}

    def distance(ent) -> tuple[int, int, int]:
        inside = any(t.i in governed for t in ent)
        return (int(told[ent.start] == "conjoined"), 0 if inside else 1, min(abs(ent.start - a) for a in anchors))

    future = is_future(draft) and said is None
    undone = negated(token) or negated(verb)
    for ent in sorted(candidates, key=distance):
        text = f"the {ent.text}" if ent.label_ == "ORDINAL" else ent.text
        preposition = _preposition_of(ent)
        if preposition == "for" and not future:
            continue  # "pledged 1.3 billion euros for 2026": the years the money covers
        if preposition == "since" and undone:
            continue  # "has not imposed sanctions since 2021": how long it has not happened
        if (shift := dates.days_after_last_act(ent.text)) is not None:  # "the same evening", "two days later"
            if (day := _from_last_act(history, shift, future, token, published)) is not None:
                draft.date, draft.date_text = day, ent.text
                return
            continue
        of_future = _told_of_future(ent)
        if verb.tag_ == "VBD" and of_future:
            continue  # "said he would meet them on Thursday and urged them …": not when he urged
        # a date borrowed from a conjoined clause is read in that clause's tense ("held talks on
        # Monday, and the two sides agreed to set up …" is last Monday)
        tense = of_future if told[ent.start] == "conjoined" else future
        if (resolved := dates.resolve(text, published, future=tense)) is not None:
            draft.date, draft.date_text = resolved, ent.text
            return
    _date_from_context(draft, history)


def _told_of_future(ent: Any) -> bool:
    """Whether the clause a date sits in is in the future tense ("will travel … on Monday")."""
    verb = next((a for a in ent.root.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    words = lexicon().words
    return verb is not None and any(c.dep_ == "aux" and c.lower_ in words.future_auxiliaries
                                    for node in (verb, verb.head) for c in node.children)  # fmt: skip


def _preposition_of(ent: Any) -> str:
    """The word a date hangs on ("for 2026", "since 1982", "since the 2021 coup"), through
    conjuncts and appositions."""
    node = ent.root
    while node.dep_ in {"conj", "appos"} and node.head is not node:
        node = node.head
    if node.dep_ in {"compound", "amod", "nummod"} and node.head.dep_ == "pobj":
        node = node.head
    return node.head.lower_


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
        if (
            sentence_of(previous.trigger).start > sentence.start
            or gap > 0
            and sentence_of(previous.trigger).end < sentence.start - 1
        ):
            break
        if previous.trigger.i in {t.i for t in draft.trigger.subtree}:
            continue  # "They agreed to meet in March": the meeting is what they agreed, not when
        if previous.date and previous.sources and previous.sources == draft.sources:
            draft.date, draft.date_text = previous.date, previous.date_text
            return
    for node in sentence_of(draft.trigger):
        if (
            node.dep_ == "pobj"
            and node.head.lower_ in {"during", "after", "at", "following"}
            and node.lower_ in anaphoric
        ):
            if not any(c.dep_ == "det" and c.lower_ == "the" for c in node.children):
                continue
            wanted = anaphoric[node.lower_]
            for previous in reversed(history):
                if previous.date and (
                    not wanted or previous.type in wanted or f"{previous.type}/{previous.mode}" in wanted
                ):
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
