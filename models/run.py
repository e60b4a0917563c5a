"""What an ingest run reports: its summary and the items it skipped or could not use."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Skipped(BaseModel):
    """One item of the report file (`--report FILE.jsonl`)."""

    model_config = ConfigDict(extra="forbid")

    source: str
    kind: Literal["failed", "skipped", "duplicate", "warning"]  # a warning's article is ingested
    reason: str
    article_id: str | None = None


class RunSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    skipped: int = 0
    failed: int = 0
    warnings: int = 0
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    interrupted: bool = False  # stopped by Ctrl-C: the counts are those of the committed batches

    @property
    def done(self) -> int:
        return self.new + self.updated + self.unchanged + self.duplicate + self.skipped + self.failed

    @property
    def articles_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0
