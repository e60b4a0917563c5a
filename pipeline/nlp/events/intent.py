"""Stated intentions, read the PLOVER way as well. "Japan said it would provide grant aid" is
the aid, planned, and also Japan's promise of it: an AGREE made when it was said (CAMEO 03x,
"express intent to"). "The farmers said they would blockade Paris" is likewise a threat
(THREATEN, 13x). Only an actor's word about its own act counts: "officials said Tinubu would
visit Rabat" is no promise of Tinubu's. Which types threaten is data: `[intent]` in events.toml.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import lexicon, verb_forms
from pipeline.nlp.events.parse import subjects_of
from pipeline.nlp.events.status import SPEECH_TYPES
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Token

# Heads an intention needs no future tense under: "is willing to withdraw".
READY_HEADS = {"willing", "ready", "prepared", "committed"}


def _anchor(trigger: Token) -> Token | None:
    """The verb of saying or intending the trigger's clause hangs from ('said' in 'said it
    would provide aid'), through at most three clause links."""
    heads = lexicon().words.intent_heads
    node = trigger
    for _ in range(3):
        if node.dep_ not in {"ccomp", "xcomp", "acomp", "advcl", "conj"} or node.head.i == node.i:
            return None
        node = node.head
        if verb_forms(node) & heads:
            return node
    return None


def stated_intention(draft: Draft, resolver: Resolver) -> Draft | None:
    """The promise or threat a planned event of the actor's own word makes, if it is one."""
    if draft.type in SPEECH_TYPES or draft.type == "DISAPPROVE" or not draft.sources:
        return None
    anchor = _anchor(draft.trigger)
    if anchor is None or (draft.status != "planned" and anchor.lemma_.lower() not in READY_HEADS):
        return None
    if draft.status == "negated":
        return None
    speaker = anchor
    while speaker.dep_ == "acomp" or (speaker.lemma_.lower() in READY_HEADS and speaker.head.i != speaker.i):
        speaker = speaker.head  # "Syria says it is willing to": the one who is willing
        if speaker.pos_ in {"VERB", "AUX"}:
            break
    speakers, _ = subjects_of(speaker, resolver)
    if not set(speakers) & set(draft.sources):
        return None
    table = lexicon().data.intent
    threat = draft.type in table.threat_types
    return dataclasses.replace(
        draft, trigger=anchor, type="THREATEN" if threat else "AGREE", mode="intent",
        cameo=table.threaten_cameo if threat else table.agree_cameo,
        rule=lexicon().default("THREATEN" if threat else "AGREE"), locations=[],
        status="happened", date=None, date_text=None, date_basis=None,
    )  # fmt: skip
