"""Stated intentions and obligations, read the PLOVER way as well.

"Japan said it would provide grant aid" is the aid, planned, and also Japan's promise of it: an
AGREE made when it was said (CAMEO 03x, "express intent to"). "The farmers said they would
blockade Paris" is likewise a threat (THREATEN, 13x); the CAMEO codes are those of the types'
defaults. Only an actor's word about its own act counts: "officials said Tinubu would visit
Rabat" is no promise of Tinubu's. Which types threaten is data: `[intent]` in events.toml.

"Russia said Sudan must return the helicopter" is Russia's demand on Sudan (DEMAND, 10x), made
when it was said; what Sudan must do is the demand's content, not an event of its own.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import SUBJECTS, lexicon
from pipeline.nlp.events.parse import CLAUSE_LINKS, clause_anchor, subjects_of
from pipeline.nlp.events.status import SPEECH_TYPES
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
    conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
                      for node in (draft.trigger, draft.trigger.head) for c in node.children)  # fmt: skip
    # "will withdraw its force unless a ceasefire is arranged": a condition makes it an ultimatum
    kind = "THREATEN" if conditional or draft.type in lexicon().data.intent.threat_types else "AGREE"
    rule = lexicon().default(kind)
    cameo = lexicon().data.intent.ultimatum_cameo if conditional else rule.cameo
    return dataclasses.replace(
        draft, trigger=anchor, type=kind, mode="intent", cameo=cameo, rule=rule, locations=[],
        status="happened", date=None, date_text=None, date_basis=None,
    )  # fmt: skip


def stated_obligations(doc: Doc, resolver: Resolver) -> list[Draft]:
    """Demands told as what another must do: 'X said (that) Y must Z', one per clause."""
    lex = lexicon()
    demands = []
    for verb in doc:
        if not any(c.dep_ == "aux" and c.lower_ in lex.words.obligation_auxiliaries for c in verb.children):
            continue
        anchor = clause_anchor(verb, frozenset({"ccomp"}))
        if anchor is None or anchor.lemma_.lower() in lex.words.commitment_heads:
            continue
        speakers, _ = subjects_of(anchor, resolver)
        obliged = [e for c in verb.children if c.dep_ in SUBJECTS for e in resolver.resolve(c) if e not in speakers]
        if not speakers or not obliged:
            continue
        rule = lex.default("DEMAND")
        demands.append(Draft(rule=rule, trigger=anchor, type="DEMAND", mode=rule.mode, cameo=rule.cameo,
                             sources=speakers, targets=obliged, confidence=lex.data.intent.obligation_confidence,
                             content=verb))  # fmt: skip
    return demands
