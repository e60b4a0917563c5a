"""What a graph store reports back: write outcomes, counts and query results."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Outcome = Literal["new", "updated", "unchanged"]


class WriteReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcomes: dict[str, Outcome] = {}

    def count(self, outcome: Outcome) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)


class Stats(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nodes: dict[str, int]
    relationships: dict[str, int]


class QueryResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]
