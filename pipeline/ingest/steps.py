"""The steps of one ingest batch, each a function from typed input to typed output:

    read -> screen -> deduplicate -> extract -> build graphs -> write

`screen` drops what cannot be read or is in a language without a model; `deduplicate` drops
articles already stored unchanged and turns copies of seen articles into DUPLICATE_OF links;
`extract` runs the NLP stage on an executor; `write` records what was seen, then commits the
graphs in one store transaction. Items that fail or are skipped travel as `Skipped` records.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from models import Article, ArticleGraph, ExtractionResult, Skipped, WriteReport, facts_hash
from pipeline.data_files import DataFile, load_data
from pipeline.errors import InputError, InputWarning, UsageError
from pipeline.graph.build import build_duplicate_graph, build_graph
from pipeline.ingest.executors import Executor
from pipeline.sources.dedup import SeenIndex
from pipeline.store import GraphStore

T = TypeVar("T")


class LanguagesFile(DataFile):
    candidates: list[str]
    min_bytes: int
    min_confidence: float
    min_ratio: float


class LanguageDetector:
    """The language of articles that declare none, biased towards the languages asked for:
    a short text is too little to skip on (see `pipeline/data/languages.toml`)."""

    def __init__(self, wanted: tuple[str, ...]):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self.rules = load_data("languages.toml", LanguagesFile)
        self.wanted = wanted
        self.identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        unknown = sorted(set(wanted) - set(self.identifier.labels))
        if unknown:
            raise UsageError(f"--language {', '.join(unknown)}: not a language the detector knows; use ISO 639-1 "
                             "codes such as en, de, fr")  # fmt: skip
        self.identifier.set_languages(sorted(set(self.rules.candidates) | set(wanted)))

    def detect(self, article: Article) -> tuple[str, str]:
        """(language, how it was found): declared, or detected with its probability."""
        if article.language:
            return article.language.split("-")[0].lower(), "declared"
        text = (article.title + " " + article.text)[:2000]
        ranked = self.identifier.rank(text)
        best, probability = ranked[0]
        likeliest_wanted, wanted_probability = next((lang, p) for lang, p in ranked if lang in self.wanted)
        if best in self.wanted:
            return best, f"detected, probability {probability:.2f}"
        sure = (len(text.encode("utf-8")) >= self.rules.min_bytes and probability >= self.rules.min_confidence
                and probability >= self.rules.min_ratio * wanted_probability)  # fmt: skip
        if sure:
            return best, f"detected, probability {probability:.2f}"
        return likeliest_wanted, f"assumed: too short or unclear to tell ({best} {probability:.2f})"


@functools.cache
def language_detector(wanted: tuple[str, ...]) -> LanguageDetector:
    return LanguageDetector(wanted)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Screened:
    articles: list[Article] = field(default_factory=list)  # each with its language set
    skipped: list[Skipped] = field(default_factory=list)


def screen(items: Sequence[Article | InputError], languages: tuple[str, ...]) -> Screened:
    """Readable articles in a wanted language; the rest reported."""
    out = Screened()
    detector = language_detector(languages)
    for item in items:
        if isinstance(item, InputError):
            kind: Literal["warning", "failed"] = "warning" if isinstance(item, InputWarning) else "failed"
            out.skipped.append(Skipped(source=item.where, kind=kind, reason=item.reason))
        elif (found := detector.detect(item))[0] not in languages:
            language, how = found
            out.skipped.append(Skipped(source=_source(item), kind="skipped", article_id=item.id, reason=(
                f"language {language!r} ({how}): no model configured for it; add --language {language} "
                "to ingest it, or declare the article's language")))  # fmt: skip
        else:
            language = found[0]
            out.articles.append(item.model_copy(update={"language": language}))
    return out


@dataclass
class Deduplicated:
    fresh: list[Article] = field(default_factory=list)  # to extract
    copies: list[ArticleGraph] = field(default_factory=list)  # DUPLICATE_OF graphs
    seen: list[dict[str, Any]] = field(default_factory=list)  # records to persist before the commit
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def _source(article: Article) -> str:
    return article.origin or article.url or article.id


def deduplicate(articles: Sequence[Article], store: GraphStore, seen: SeenIndex, *, force: bool, extractor: str,
                in_run: dict[str, tuple[str, str]] | None = None) -> Deduplicated:  # fmt: skip
    """Articles stored unchanged, and read by this `extractor` (its fingerprint), are left out
    before the costly extraction; copies of articles seen before become links to their original;
    the rest is fresh. `in_run` holds the articles of this run (content hash and source by id),
    so a second article under one id fails whatever the batch size."""
    out = Deduplicated()
    stored = store.known_hashes([a.id for a in articles]) if articles else {}
    in_run = {} if in_run is None else in_run
    in_batch: set[str] = set()
    for article in articles:
        if (first := in_run.get(article.id)) is not None:
            if first[0] != article.content_hash:
                out.skipped.append(Skipped(source=_source(article), kind="failed", article_id=article.id, reason=(
                    f"id {article.id!r} is taken in this run by {first[1]}, with other content; "
                    "give one of them another id")))  # fmt: skip
            continue  # the same article read twice
        in_run[article.id] = (article.content_hash, _source(article))
        in_batch.add(article.id)
        if stored.get(article.id) == facts_hash(article.content_hash, extractor) and not force:
            out.unchanged += 1
            continue
        fingerprint = seen.fingerprint(article)
        original = seen.original_of(article, fingerprint)
        if original is not None and original[0] not in stored and original[0] not in in_batch:
            # the original was seen but never committed (a killed run): link only to stored ones
            if not store.known_hashes([original[0]]):
                original = None
        out.seen.append(seen.add(article, copy_of=original[0] if original else None, fingerprint=fingerprint))
        if original is None:
            out.fresh.append(article)
            continue
        original_id, kind = original
        out.copies.append(build_duplicate_graph(article, original_id, kind, extractor))
        out.skipped.append(Skipped(source=_source(article), kind="duplicate", article_id=article.id,
                                   reason=f"{kind} copy of {original_id}"))  # fmt: skip
    return out


@dataclass
class Extracted:
    graphs: list[ArticleGraph] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def extract(articles: list[Article], executor: Executor) -> Extracted:
    """Every fresh article's graph, extracted in chunks spread over the executor's workers."""
    out = Extracted()
    chunk = max(1, len(articles) // max(1, executor.workers))
    for results in executor.map(batches(articles, chunk)):
        for result in results:
            if isinstance(result, ExtractionResult):
                out.graphs.append(build_graph(result))
            else:
                out.skipped.append(Skipped(source=result.where, kind="failed", reason=result.reason))
    return out


def write(store: GraphStore, seen: SeenIndex, records: list[dict[str, Any]], graphs: list[ArticleGraph],
          *, force: bool) -> WriteReport:  # fmt: skip
    """Record what was seen, then commit: a kill in between leaves nothing half-known."""
    seen.save(records)
    return store.write(graphs, force=force)

