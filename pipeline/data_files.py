"""The data files (rules, lexicons, alias tables) in `pipeline/data/`, each loaded once into
the pydantic model that its reader declares.

A file that does not fit its model fails with one line naming the file and the entry, such as
`events.toml: trigger 12: unknown key 'requires_fone'`, never with a TypeError deep in the
extraction of some article.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import NewsgraphError

DATA_DIR = Path(__file__).parent / "data"


class DataFileError(NewsgraphError):
    """A data file is missing, is not valid TOML, or does not fit its model."""


class DataFile(BaseModel):
    """Base of every data file model: unknown keys are mistakes, and loaded data is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


Model = TypeVar("Model", bound=BaseModel)


def _where(location: tuple[int | str, ...]) -> str:
    """('trigger', 11, 'requires_fone') -> 'trigger 12: requires_fone' (entries count from 1)."""
    parts: list[str] = []
    for item in location:
        if isinstance(item, int) and parts:
            parts[-1] = f"{parts[-1]} {item + 1}"
        else:
            parts.append(str(item))
    return ": ".join(parts)


def describe(name: str, error: ValidationError) -> str:
    """The first problem of a validation error, as one line naming the file and the entry."""
    first = error.errors()[0]
    location = tuple(first["loc"])
    if first["type"] == "extra_forbidden":
        key, entry = location[-1], _where(location[:-1])
        return f"{name}: {entry + ': ' if entry else ''}unknown key {key!r}"
    if first["type"] == "missing":
        key, entry = location[-1], _where(location[:-1])
        return f"{name}: {entry + ': ' if entry else ''}missing key {key!r}"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    message = first["msg"] if len(first["msg"]) <= 120 else first["msg"][:117] + "..."
    return f"{name}: {_where(location)}: {message}{more}"


def read_toml(name: str) -> dict[str, Any]:
    """The raw table of `pipeline/data/NAME`."""
    path = DATA_DIR / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise DataFileError(f"{name}: missing from {DATA_DIR}: reinstall newsgraph") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{name}: not valid TOML: {exc}") from exc


@functools.cache
def load_data(name: str, model: type[Model]) -> Model:
    """Parse `pipeline/data/NAME` into `model`, once per process."""
    try:
        return model.model_validate(read_toml(name))
    except ValidationError as exc:
        raise DataFileError(describe(name, exc)) from exc
