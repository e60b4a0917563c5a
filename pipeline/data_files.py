"""Loads the data files (rules, lexicons, alias tables) that live in `pipeline/data/`."""

from __future__ import annotations

import functools
import json
import tomllib
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


@functools.cache
def load(name: str) -> Any:
    """Parse `pipeline/data/NAME` (.toml or .json) once per process."""
    path = DATA_DIR / name
    with path.open("rb") as handle:
        if path.suffix == ".toml":
            return tomllib.load(handle)
        return json.load(handle)
