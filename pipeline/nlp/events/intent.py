"""Stated intentions, read the PLOVER way as well. "Japan said it would provide grant aid" is
the aid, planned, and also Japan's promise of it: an AGREE made when it was said (CAMEO 03x,
"express intent to"). "The farmers said they would blockade Paris" is likewise a threat
(THREATEN, 13x); the CAMEO codes are those of the types' defaults. Only an actor's word about its own act counts: "officials said Tinubu would
visit Rabat" is no promise of Tinubu's. Which types threaten is data: `[intent]` in events.toml.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import lexicon
from pipeline.nlp.events.parse import CLAUSE_LINKS, clause_anchor, subjects_of
from pipeline.nlp.events.status import SPEECH_TYPES
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    pass

# Heads an intention needs no future tense under: "is willing to withdraw".
READY_HEADS = {"willing", "ready", "prepared", "committed"}


def stated_intention(draft: Draft, resolver: Resolver) -> Draft | None:
    """The promise or threat a planned event of the actor's own word makes, if it is one."""
    if draft.type in SPEECH_TYPES or draft.type == "DISAPPROVE" or not draft.sources:
        return None
    anchor = clause_anchor(draft.trigger, CLAUSE_LINKS | {"acomp"})  # "is willing to withdraw"
    if anchor is None or draft.status == "negated" or (
            draft.status != "planned" and anchor.lemma_.lower() not in READY_HEADS):
        return None
    speaker = anchor
    while speaker.dep_ == "acomp" or (speaker.lemma_.lower() in READY_HEADS and speaker.head.i != speaker.i):
        speaker = speaker.head  # "Syria says it is willing to": the one who is willing
        if speaker.pos_ in {"VERB", "AUX"}:
            break
    speakers, _ = subjects_of(speaker, resolver)
    if not set(speakers) & set(draft.sources):
        return None
    kind = "THREATEN" if draft.type in lexicon().data.intent.threat_types else "AGREE"
    rule = lexicon().default(kind)
    return dataclasses.replace(
        draft, trigger=anchor, type=kind, mode="intent", cameo=rule.cameo, rule=rule, locations=[],
        status="happened", date=None, date_text=None, date_basis=None,
    )  # fmt: skip
