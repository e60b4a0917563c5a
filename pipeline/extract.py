"""The extraction run: sources -> clean -> NLP -> entities, events, figures, relations.

Everything spaCy stays inside this stage; what leaves it is an `ExtractionResult`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from models import Article, ExtractionResult
from pipeline.clean import clean
from pipeline.entities import extract_entities
from pipeline.errors import InputError
from pipeline.nlp import load_model, parse

DEFAULT_BATCH_SIZE = 32


def extract(
    items: Iterable[Article | InputError],
    *,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[ExtractionResult | InputError]:
    """Extract every article; bad input items pass through as errors, in order."""
    nlp = load_model(model)
    errors: list[InputError] = []

    def documents() -> Iterator:
        for item in items:
            if isinstance(item, InputError):
                errors.append(item)
                continue
            yield clean(item)

    for document, doc in parse(nlp, documents(), batch_size=batch_size):
        while errors:
            yield errors.pop(0)
        yield analyse(document, doc)
    yield from errors


def analyse(document, doc) -> ExtractionResult:
    """Every fact of one parsed document."""
    layer = extract_entities(document, doc)
    article = document.article
    return ExtractionResult(
        article=article.ref(),
        content_hash=article.content_hash,
        entities=layer.entities,
    )
