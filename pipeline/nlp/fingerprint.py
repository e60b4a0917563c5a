"""Which extractor read an article: a digest of the code and data that turn text into facts.

A store keeps, for every article, a hash of its content and of the extractor that read it
(`models.facts_hash`). When newsgraph is upgraded, or its rules, lexicons or event model change,
the digest changes, so the next `ingest` extracts every article again instead of keeping facts
an older extractor produced as "unchanged".
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

_PIPELINE = Path(__file__).resolve().parents[1]
_ROOT = _PIPELINE.parent
# The extraction code, the text cleaning that offsets refer to, the data files, the contract.
_PARTS = ("pipeline/nlp/**/*.py", "pipeline/sources/clean.py", "pipeline/data/*.toml", "pipeline/data/*.npz",
          "models/extraction.py")  # fmt: skip


def extractor_fingerprint(model: str | None = None) -> str:
    """sha256 (16 hex digits) over the extractor's files and the spaCy model's name and version."""
    from pipeline.nlp.model import DEFAULT_MODEL, FALLBACK_MODEL, model_name

    name = model_name(model)
    packages = (name, FALLBACK_MODEL) if name == DEFAULT_MODEL else (name,)
    return _fingerprint(tuple(f"{p}=={_version(p)}" for p in packages))


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""  # a model loaded from a path, or not installed (loading it will say so)


@functools.cache
def _fingerprint(models: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    files = sorted({path for pattern in _PARTS for path in _ROOT.glob(pattern) if path.is_file()})
    for path in files:
        digest.update(path.relative_to(_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(" ".join(models).encode())
    return digest.hexdigest()[:16]
