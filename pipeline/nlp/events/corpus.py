"""The event training corpus (`training/events/*.jsonl`): its record format as pydantic models,
and a checker. The format is documented in `training/events/README.md`.

    python -m pipeline.nlp.events.corpus training/events/*.jsonl   # validate, count per type
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from models.extraction import PLOVER_TYPES, EventStatus, PloverType
from pipeline.data_files import DataFileError

Style = Literal["wire", "analysis", "headline", "quote", "passive", "nominal", "coordinated", "brief", "feature"]


def occurrences(text: str, word: str) -> list[int]:
    """Start offsets of `word` in `text` as a whole word (or phrase)."""
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)]


class TrainingEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: PloverType
    trigger: str
    trigger_index: int | None = None
    source: list[str] = []
    target: list[str] = []
    status: EventStatus = "happened"


class TrainingRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    style: Style
    context: str | None = None
    text: str
    events: list[TrainingEvent]
    note: str | None = None

    @model_validator(mode="after")
    def _spans_are_in_the_text(self) -> TrainingRecord:
        if not self.text.strip():
            raise ValueError("text is empty")
        for number, event in enumerate(self.events, 1):
            found = occurrences(self.text, event.trigger) if event.trigger else []
            if not found:
                raise ValueError(f"event {number}: trigger {event.trigger!r} is not a word of the text")
            if event.trigger_index is None and len(found) > 1:
                raise ValueError(f"event {number}: trigger {event.trigger!r} occurs {len(found)} times: add trigger_index")
            if event.trigger_index is not None and not 0 <= event.trigger_index < len(found):
                raise ValueError(f"event {number}: trigger_index {event.trigger_index} out of range")
            for role, spans in (("source", event.source), ("target", event.target)):
                missing = [span for span in spans if not span or span not in self.text]
                if missing:
                    raise ValueError(f"event {number}: {role} {missing[0]!r} is not in the text")
        return self

    def trigger_span(self, event: TrainingEvent) -> tuple[int, int]:
        """Where the event's trigger sits in `text`."""
        start = occurrences(self.text, event.trigger)[event.trigger_index or 0]
        return start, start + len(event.trigger)


def read_corpus(paths: list[Path]) -> list[TrainingRecord]:
    """Every record of the files; the first bad line stops with one line naming file and line."""
    records: list[TrainingRecord] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = TrainingRecord.model_validate(json.loads(line))
            except json.JSONDecodeError as exc:
                raise DataFileError(f"{where}: not JSON: {exc.msg} at column {exc.colno}") from exc
            except ValidationError as exc:
                problem = exc.errors()[0]
                place = ".".join(str(p) for p in problem["loc"])
                raise DataFileError(f"{where}: {place + ': ' if place else ''}{problem['msg']}") from exc
            if record.id in seen:
                raise DataFileError(f"{where}: id {record.id!r} is already used at {seen[record.id]}")
            seen[record.id] = where
            records.append(record)
    return records


def summary(records: list[TrainingRecord]) -> str:
    """Counts per style and per type, for the corpus README and the checker."""
    styles = collections.Counter(r.style for r in records)
    types: collections.Counter[str] = collections.Counter(e.type for r in records for e in r.events)
    triggers: dict[str, set[str]] = collections.defaultdict(set)
    for record in records:
        for event in record.events:
            triggers[event.type].add(event.trigger.lower())
    negatives = sum(1 for r in records if not r.events)
    lines = [f"{len(records)} sentences, {negatives} without events",
             "styles: " + ", ".join(f"{k} {v}" for k, v in sorted(styles.items()))]  # fmt: skip
    lines += [f"  {t:12} {types[t]:5} events, {len(triggers[t]):4} distinct triggers" for t in PLOVER_TYPES]
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        print(summary(read_corpus([Path(p) for p in sys.argv[1:]])))
    except DataFileError as error:
        sys.exit(f"error: {error}")
