"""The kinds of descriptive actor ("agents"): their sectors, names and nouns, and the settings
that say when a description names someone, read from `data/agents.toml`. `kind_of` tells which
kind a noun names; `pipeline.nlp.agents` finds the agents of an article, and the resolver asks
`kind_of` too, so this table sits below both.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Literal

from pipeline.data_files import DataFile, load_data

if TYPE_CHECKING:
    from spacy.tokens import Token

Sector = Literal["GOV", "MIL", "POL", "LEG", "JUD", "REB", "OPP", "PTY", "CVL", "BUS", "MED", "LAB", "CRM",
                 "REF", "IGO", "NGO"]  # fmt: skip


class AgentKind(DataFile):
    sector: Sector
    name: str
    nouns: list[str]


class AgentSettings(DataFile):
    main_country_min_mentions: int
    one_per_country: frozenset[str]
    need_a_country: frozenset[str]
    moved_by: frozenset[str]
    posted_abroad: frozenset[str]
    commanded_by_owner: frozenset[Sector]


class AgentsFile(DataFile):
    kind: list[AgentKind]
    settings: AgentSettings


@functools.cache
def agents_data() -> AgentsFile:
    return load_data("agents.toml", AgentsFile)


def kinds() -> list[AgentKind]:
    return agents_data().kind


@functools.cache
def _nouns() -> dict[str, AgentKind]:
    return {noun: kind for kind in agents_data().kind for noun in kind.nouns}


def noun_of(token: Token) -> str | None:
    """The agent noun a token heads: a two-word noun ("riot police", "suicide bomber") first,
    then the word, then its lemma."""
    nouns = _nouns()
    compound = next((c for c in token.children if c.dep_ == "compound" and c.i == token.i - 1), None)
    words = [f"{compound.lower_} {token.lower_}"] if compound is not None else []
    return next((w for w in [*words, token.lower_, token.lemma_.lower()] if w in nouns), None)


def kind_of(token: Token) -> AgentKind | None:
    """The agent kind a noun names."""
    noun = noun_of(token)
    return _nouns()[noun] if noun else None
