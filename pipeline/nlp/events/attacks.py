"""What kind of attack a strike is, from what it hit: on camps, homes or hospitals (or by bombs)
an ASSAULT, on forces or positions a FIGHT (PLOVER's line between the two)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.nlp.events.lexicon import OBJECTS, PASSIVE_SUBJECTS, lexicon, rule_for

if TYPE_CHECKING:
    from pipeline.nlp.events.draft import Draft
    from pipeline.nlp.events.rules_file import AttackKind, TriggerRule


def attack_type(draft: Draft) -> None:
    """Strikes on camps, homes or hospitals are ASSAULT ('a camp was attacked' too); on forces,
    FIGHT."""
    if draft.type not in {"FIGHT", "ASSAULT"}:
        return
    token = draft.trigger
    strike = rule_for(token) or lexicon().first("FIGHT")  # "wounded two soldiers" is a strike too
    if strike.mode != "strike":
        return
    data = lexicon().data
    hit = [c for c in token.children if c.dep_ in OBJECTS | PASSIVE_SUBJECTS] + [
        p for prep in token.children if prep.dep_ == "prep" for p in prep.children if p.dep_ == "pobj"
    ]
    armed = data.armed_targets
    nouns = [t for h in hit for t in h.subtree]
    civilian = [t for t in nouns if t.lemma_.lower() in data.civilian_targets
                and not any(c.lemma_.lower() in armed for c in t.children)]  # not "guerrilla camps"
    attack: AttackKind | TriggerRule
    if {t.lemma_.lower() for t in token.subtree} & data.unconventional:
        attack = data.bombing  # PLOVER: bombings, IEDs and suicide attacks are ASSAULT
    elif civilian:
        attack = data.civilian_attack
    elif {t.lemma_.lower() for t in nouns} & armed:
        attack = strike  # the classifier may say ASSAULT; positions and troops are fought
    else:
        return
    draft.type, draft.mode, draft.cameo = attack.type, attack.mode, attack.cameo
