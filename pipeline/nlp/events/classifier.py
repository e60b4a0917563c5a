"""The trained event classifier: a multinomial logistic regression over the candidate's named
features (`features.py`), shipped as `data/events-model.npz` and retrained by `make model`.

It gives each candidate a probability per PLOVER type and for "no event" (`NONE`); the most
probable type becomes the event, its probability the event's confidence. A missing or broken
model file stops extraction with one line naming the file: there is no silent fallback.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.data_files import DATA_DIR
from pipeline.errors import NewsgraphError

MODEL_PATH = DATA_DIR / "events-model.npz"
MODEL_ENV = "NEWSGRAPH_EVENT_MODEL"  # another model file, e.g. one retrained on your own corpus
NONE = "NONE"


class EventModelError(NewsgraphError):
    """The event model file is missing or cannot be read."""


@dataclass(frozen=True)
class EventModel:
    classes: tuple[str, ...]  # NONE first, then the PLOVER types
    index: dict[str, int]  # feature name -> row of `weights`
    weights: np.ndarray  # (features, classes)
    dense_weights: np.ndarray  # (dense features, classes), for `features.dense`
    bias: np.ndarray  # (classes,)
    event_nouns: frozenset[str]  # nouns that were triggers in training
    meta: dict[str, Any]  # how it was trained, and the scores it got

    def setting(self, name: str) -> float:
        """A decision setting recorded with the model (see `training.SETTINGS`)."""
        return float(self.meta["settings"][name])

    def probabilities(self, rows: Sequence[list[str]], dense: np.ndarray | None = None) -> np.ndarray:
        """P(class) for each candidate's feature list (and dense features), one row each."""
        scores = np.tile(self.bias, (len(rows), 1))
        if dense is not None and len(rows):
            scores += dense @ self.dense_weights
        for row, names in enumerate(rows):
            hits = [self.index[name] for name in set(names) if name in self.index]
            if hits:
                scores[row] += self.weights[hits].sum(axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        names = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(
            path, classes=np.array(self.classes), features=np.array(names), weights=self.weights.astype(np.float32),
            dense_weights=self.dense_weights.astype(np.float32), bias=self.bias.astype(np.float32), event_nouns=np.array(sorted(self.event_nouns)),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )  # fmt: skip


def read_model(path: Path) -> EventModel:
    """Read a model file; any problem is one EventModelError naming the file."""
    if not path.is_file():
        raise EventModelError(f"{path}: the event model file is missing: reinstall newsgraph or run `make model`")
    try:
        with np.load(path, allow_pickle=False) as data:
            classes = tuple(str(c) for c in data["classes"])
            names = [str(n) for n in data["features"]]
            weights = data["weights"].astype(np.float64)
            dense_weights = data["dense_weights"].astype(np.float64)
            bias = data["bias"].astype(np.float64)
            nouns = frozenset(str(n) for n in data["event_nouns"])
            meta = json.loads(str(data["meta"]))
    except (OSError, ValueError, KeyError) as exc:
        raise EventModelError(f"{path}: not a newsgraph event model ({type(exc).__name__}: {exc}): run `make model`") from exc
    if (classes[:1] != (NONE,) or weights.shape != (len(names), len(classes)) or bias.shape != (len(classes),)
            or dense_weights.shape[1:] != (len(classes),)):  # fmt: skip
        raise EventModelError(f"{path}: the event model's arrays do not fit together: run `make model`")
    return EventModel(classes, {name: i for i, name in enumerate(names)}, weights, dense_weights, bias, nouns, meta)


def event_model() -> EventModel:
    """The model in use: $NEWSGRAPH_EVENT_MODEL, else the shipped one; read once per process."""
    return _cached(Path(os.environ.get(MODEL_ENV) or MODEL_PATH))


@functools.cache
def _cached(path: Path) -> EventModel:
    return read_model(path)
