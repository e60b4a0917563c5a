"""`manifest.json`, which `newsgraph snapshot --every` writes beside its period files."""

from __future__ import annotations

from pydantic import BaseModel


class PeriodFile(BaseModel):
    name: str
    since: str
    until: str
    file: str
    nodes: int
    relationships: int
    sha256: str  # of the file's bytes


class Manifest(BaseModel):
    every: str
    dates: str
    format: str
    periods: list[PeriodFile]
