"""The schema of `data/events.toml`: trigger rules (lemma, part of speech, PLOVER type, mode,
CAMEO code and the conditions a rule needs), the per-type defaults and the word lists of the
generic rules. A misspelt or missing key fails with one line naming the file and the entry.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from models.extraction import PLOVER_TYPES, PloverType
from pipeline.data_files import DataFile

# "target_or_force": a target, or a source that is a state or armed ("Russia invaded in 2022").
Requirement = Literal["target", "target_or_force", "phone", "aid_object", "light_verb", "agreement_object", "restriction_object", "xcomp"]


class TriggerRule(DataFile):
    """One `[[trigger]]`: lemmas, their parts of speech, the event type, mode and CAMEO code,
    how its arguments are read, and the conditions the rule needs."""

    lemmas: tuple[str, ...]
    pos: tuple[Literal["VERB", "NOUN"], ...]
    type: PloverType
    mode: str | None
    cameo: str
    target_preps: tuple[str, ...] = ()
    roles: Literal["directed", "symmetric", "swapped"] = "directed"
    targets: Literal["actors", "places"] = "actors"
    speech_act: bool = False
    requires: frozenset[Requirement] = frozenset()
    unless: frozenset[Literal["phone", "xcomp", "object"]] = frozenset()
    # Fires only when an object or modifier of the trigger is one of these words ("@place",
    # "@person", "@people": a place, a person or a nationality named there): "captured the
    # town", "a general strike", "expelled 90,000 Afghans".
    with_words: frozenset[str] = frozenset()

    @property
    def symmetric(self) -> bool:
        return self.roles == "symmetric"


def _type_or_mode(value: str) -> str:
    if value.split("/")[0] not in PLOVER_TYPES:
        raise ValueError(f"{value!r} is not a PLOVER type, nor TYPE/mode")
    return value


TypeOrMode = Annotated[str, AfterValidator(_type_or_mode)]


class TypeDefault(DataFile):
    """`[defaults.TYPE]`: how to read a trigger of that type that no rule names."""

    cameo: str
    target_preps: tuple[str, ...] = ()
    roles: Literal["directed", "symmetric", "swapped"] = "directed"
    targets: Literal["actors", "places"] = "actors"
    speech_act: bool = False


class LemmaList(DataFile):
    lemmas: list[str]


class WordsTable(DataFile):
    future_auxiliaries: frozenset[str]
    plan_heads: frozenset[str]
    plan_modifiers: frozenset[str]
    commitment_heads: frozenset[str]
    obligation_auxiliaries: frozenset[str]
    negating_heads: frozenset[str]
    restriction_words: frozenset[str]
    force_words: frozenset[str]
    restriction_objects: frozenset[str]
    agreement_nouns: frozenset[str]
    communication_nouns: frozenset[str]
    reporting_verbs: frozenset[str]
    context_prepositions: frozenset[str]
    phone_words: frozenset[str]
    intent_heads: frozenset[str]


class TypesTable(DataFile):
    statements: frozenset[PloverType]
    speech_acts: frozenset[PloverType]
    placed: frozenset[PloverType]
    mutual: frozenset[PloverType]


class ThreatModes(DataFile):
    restrict: str
    force: str


class AttackKind(DataFile):
    type: PloverType
    mode: str
    cameo: str


class IntentTable(DataFile):
    """`[intent]`: a stated intention to do one of `threat_types` is a threat, else a promise;
    on a condition ("unless …") an ultimatum; what a speaker says another must do is a demand,
    of `obligation_confidence`."""

    threat_types: frozenset[PloverType]
    ultimatum_cameo: str
    obligation_confidence: float = Field(ge=0.0, le=1.0)


class EventsFile(DataFile):
    light_verbs: frozenset[str]
    retaliation_verbs: frozenset[str]
    harm_verbs: frozenset[str]
    dying_verbs: frozenset[str]
    helping_verbs: frozenset[str]
    silent_verbs: frozenset[str]
    document_nouns: frozenset[str]
    firing_verbs: frozenset[str]
    weapon_nouns: frozenset[str]
    diplomatic_protest_verbs: frozenset[str]
    military_nouns: frozenset[str]
    movement_verbs: frozenset[str]
    guest_nouns: frozenset[str]
    civilian_targets: frozenset[str]
    natural_causes: frozenset[str]
    averting_verbs: frozenset[str]
    remembrance_nouns: frozenset[str]
    figurative_targets: frozenset[str]
    armed_targets: frozenset[str]
    unconventional: frozenset[str]
    negative_labels: frozenset[str]
    words: WordsTable
    types: TypesTable
    threat_modes: ThreatModes
    civilian_attack: AttackKind
    bombing: AttackKind
    intent: IntentTable
    aid_objects: LemmaList
    anaphoric_nouns: dict[str, list[TypeOrMode]]
    trigger: list[TriggerRule]
    defaults: dict[PloverType, TypeDefault]

    @model_validator(mode="after")
    def _every_type_has_a_default(self) -> EventsFile:
        missing = [t for t in PLOVER_TYPES if t not in self.defaults]
        if missing:
            raise ValueError(f"defaults: missing a [defaults.{missing[0]}] table")
        return self
