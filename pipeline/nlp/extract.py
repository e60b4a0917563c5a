"""The extraction run: sources -> clean -> NLP -> entities, events, figures, relations.

Everything spaCy stays inside this stage; what leaves it is an `ExtractionResult`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from models import Article, ExtractionResult
from pipeline.errors import InputError, NewsgraphError
from pipeline.nlp.agents import entity_layer, without_idle_agents
from pipeline.nlp.events import extract_events
from pipeline.nlp.figures import extract_figures
from pipeline.nlp.fingerprint import extractor_fingerprint
from pipeline.nlp.model import load_model, parse
from pipeline.nlp.relations import affiliations, attribution, project_events
from pipeline.sources.clean import clean

DEFAULT_BATCH_SIZE = 32


def extract(
    items: Iterable[Article | InputError],
    *,
    model: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[ExtractionResult | InputError]:
    """Extract every article; bad input items pass through as errors, in order."""
    nlp = load_model(model)
    load_rules()
    extractor = extractor_fingerprint(model)
    errors: list[InputError] = []

    def documents() -> Iterator:
        for item in items:
            if isinstance(item, InputError):
                errors.append(item)
                continue
            document = clean(item)
            if len(document.text) >= nlp.max_length:
                errors.append(InputError(item.origin or item.url or item.id, f"text too long for the model "
                                         f"({len(document.text)} characters; its limit is {nlp.max_length})"))
                continue
            yield document

    for document, doc in parse(nlp, documents(), batch_size=batch_size):
        while errors:
            yield errors.pop(0)
        try:
            yield analyse(document, doc, extractor)
        except NewsgraphError:
            raise  # a broken data or model file stops the run, not one article
        except Exception as exc:  # a rule tripping on one odd parse must not stop the batch
            article = document.article
            yield InputError(article.origin or article.url or article.id, f"extraction failed: {type(exc).__name__}: {exc}")
    yield from errors


def load_rules() -> None:
    """Load every data file now, so that a broken one stops the run with one line before any
    article is read, instead of failing each article in turn."""
    from pipeline.nlp import agent_kinds, amounts, events, gazetteer, relations, vectors
    from pipeline.nlp.events import classifier
    from pipeline.sources import clean

    events.lexicon.lexicon(), amounts.figures_data(), relations.projection_types(), clean._rules()
    gazetteer.actors(), gazetteer.titles(), gazetteer.countries(), agent_kinds.kinds()
    classifier.event_model()
    vectors.load()


def analyse(document, doc, extractor: str) -> ExtractionResult:
    """Every fact of one parsed document, read by `extractor` (its fingerprint)."""
    layer = entity_layer(document, doc)
    events = extract_events(document, doc, layer)
    citations, quotes = attribution(document, doc, layer)
    figures = extract_figures(document, doc, layer)
    relations = project_events(events, layer.by_id()) + affiliations(document, doc, layer)
    used = {p.entity_id for e in events for p in e.participants} | {i for f in figures for i in f.entity_ids}
    used |= {q.speaker_id for q in quotes if q.speaker_id} | {i for r in relations for i in (r.source_id, r.target_id)}
    article = document.article
    return ExtractionResult(
        article=article.ref(),
        content_hash=article.content_hash,
        extractor=extractor,
        entities=without_idle_agents(layer.entities, used),
        events=events,
        figures=figures,
        relations=relations,
        quotes=quotes,
        citations=citations,
    )
