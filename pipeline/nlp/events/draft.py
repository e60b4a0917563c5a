"""An event while it is being read off the parse: its trigger, rule, type and arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.nlp.events.rules_file import TriggerRule

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass
class Draft:
    rule: TriggerRule
    trigger: Token
    type: str = ""
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    status: str = "happened"
    date: str | None = None
    date_text: str | None = None
    date_basis: str | None = None
    mode: str | None = None
    cameo: str | None = None
    confidence: float = 0.9
    mutual: bool = False  # "both sides pulled back": each side's act is aimed at the other
    content: Token | None = None  # what a demand asks for ("Sudan must return the helicopter")
