"""`newsgraph eval`: score extraction against gold annotations and list every miss.

Entities match on canonical name and node label; events on PLOVER type and participants
(either order for symmetric events such as meetings); figures on value and unit. Dates,
statuses and directions are then scored on the matched pairs.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from models import Entity, Event, ExtractionResult
from models.gold import Accuracy, EvalReport, GoldEvent, GoldFile, Miss, Score
from pipeline.errors import InputError, UsageError
from pipeline.graph.schema import label_for, unidentified_agent
from pipeline.nlp.extract import extract
from pipeline.nlp.gazetteer import country_iso, country_name
from pipeline.sources.read import read_file

SYMMETRIC = {("CONSULT", "meet"), ("CONSULT", "phone"), ("CONSULT", "multilateral"),
             ("COOPERATE", "agreement"), ("AGREE", "agree"), ("FIGHT", "clash")}  # fmt: skip


def load_gold(path: Path) -> GoldFile:
    try:
        return GoldFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: not a gold file: {exc}") from exc


def _source_path(source_file: str, gold_path: Path, root: Path | None) -> Path:
    """Where a gold file's article lives: under `root`, else under the nearest folder above
    the gold file that holds it (gold files name their sources relative to the project)."""
    candidates = [root / source_file] if root is not None else []
    candidates += [parent / source_file for parent in gold_path.resolve().parents]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise UsageError(f"{gold_path}: source file {source_file} not found")


def _articles_for(golds: list[tuple[Path, GoldFile]], root: Path | None) -> list:
    wanted = {g.article_id for _, g in golds}
    found = {}
    sources = {str(_source_path(g.source_file, path, root)) for path, g in golds}
    for source_file in sorted(sources):
        for item in read_file(Path(source_file)):
            if not isinstance(item, InputError) and item.id in wanted:
                found[item.id] = item
    missing = wanted - set(found)
    if missing:
        raise UsageError(f"gold names articles not found in their source files: {', '.join(sorted(missing))}")
    return [found[g.article_id] for _, g in golds]


def evaluate(paths: list[Path], *, model: str | None = None, root: Path | None = None) -> EvalReport:
    """Run the extraction on the articles the gold files name and score it."""
    pairs = [(p, load_gold(p)) for p in paths]
    golds = [g for _, g in pairs]
    articles = _articles_for(pairs, root)
    results = {r.article.id: r for r in extract(articles, model=model) if isinstance(r, ExtractionResult)}
    report = EvalReport(articles=len(golds))
    for gold in golds:
        _score_article(gold, results[gold.article_id], report)
    return report


@functools.cache
def _canonical(name: str) -> str:
    """A gold name as the graph names it: "Democratic Republic of Congo" is the country node
    "Democratic Republic of the Congo" (one node, whichever spelling the annotator used)."""
    iso = country_iso(name)
    return country_name(iso) if iso else name


def _names(value) -> list[str | None]:
    values = value if isinstance(value, list) else [value]
    return [None if v is None else _canonical(v) for v in values]


def _score_article(gold: GoldFile, result: ExtractionResult, report: EvalReport) -> None:
    aid = gold.article_id
    names = {e.id: e.name for e in result.entities}
    # An agent ("Sudanese police") fits a gold actor named by its country ("Sudan"); an
    # unidentified one ("gunmen", country unknown) names no one, as gold's null does.
    fitting = {e.id: _fits_names(e) for e in result.entities}
    # Entities: canonical name + node label; nationality words, implied countries and
    # descriptive actors (not named entities) aside.
    predicted = {(e.name.casefold(), label_for(e.type)) for e in result.entities
                 if e.mentions and e.type not in {"NORP", "AGENT"}}  # fmt: skip
    wanted = {(_canonical(e.name).casefold() if label_for(e.type) == "Place" else e.name.casefold(), label_for(e.type))
              for e in gold.entities if e.type != "NORP"}  # fmt: skip
    _tally(report.entities, report, aid, "entity", wanted, predicted)

    unmatched = list(result.events)
    for gold_event in gold.events:
        match = next((p for p in unmatched if _event_matches(gold_event, p, fitting)), None)
        if match is None:
            report.events.false_negatives += 1
            report.misses.append(Miss(article_id=aid, category="event", kind="missed", detail=_describe_gold(gold_event)))
            continue
        unmatched.remove(match)
        report.events.true_positives += 1
        by_basis = report.event_dates_publication if match.date_basis == "publication" else report.event_dates_text
        expected = match.date if match.date_basis == "publication" and gold_event.date is None else gold_event.date
        for accuracy in (report.event_dates, by_basis):
            _accuracy(accuracy, report if accuracy is by_basis else None, aid, "event date", expected, match.date,
                      f"{_describe_gold(gold_event)} ({match.date_basis} date)")
        _accuracy(report.event_status, report, aid, "event status", gold_event.status, match.status, _describe_gold(gold_event))
    for event in unmatched:
        report.events.false_positives += 1
        report.misses.append(Miss(article_id=aid, category="event", kind="spurious", detail=_describe(event, names)))

    figures = list(result.figures)
    for gold_figure in gold.figures:
        found = next((f for f in figures if f.unit == gold_figure.unit and abs(f.value - gold_figure.value) <= 1e-6 * max(1.0, gold_figure.value)), None)
        label = f"{gold_figure.value:g} {gold_figure.unit} ({gold_figure.metric}) {gold_figure.text!r}"
        if found is None:
            report.figures.false_negatives += 1
            report.misses.append(Miss(article_id=aid, category="figure", kind="missed", detail=label))
            continue
        figures.remove(found)
        report.figures.true_positives += 1
        _accuracy(report.figure_directions, report, aid, "figure direction", gold_figure.direction, found.direction, label)
    for figure in figures:
        report.figures.false_positives += 1
        report.misses.append(Miss(article_id=aid, category="figure", kind="spurious",
                                  detail=f"{figure.value:g} {figure.unit} {figure.span.text!r}"))


def _fits_names(entity: Entity) -> set[str]:
    if entity.type != "AGENT":
        return {entity.name}
    if unidentified_agent(label_for(entity.type), entity.attributes):
        return set()
    return {entity.name, country_name(entity.attributes["country"])}  # a country's node is named so


def _tally(score: Score, report: EvalReport, aid: str, category: str, wanted: set, predicted: set) -> None:
    score.true_positives += len(wanted & predicted)
    for item in sorted(wanted - predicted):
        score.false_negatives += 1
        report.misses.append(Miss(article_id=aid, category=category, kind="missed", detail=f"{item[0]} ({item[1]})"))
    for item in sorted(predicted - wanted):
        score.false_positives += 1
        report.misses.append(Miss(article_id=aid, category=category, kind="spurious", detail=f"{item[0]} ({item[1]})"))


def _accuracy(acc: Accuracy, report: EvalReport | None, aid: str, category: str, want: object, got: object,
              label: str) -> None:  # fmt: skip
    """Count one comparison; a wrong one becomes a miss of `report` (None: counted elsewhere)."""
    acc.total += 1
    if want == got:
        acc.correct += 1
    elif report is not None:
        report.misses.append(Miss(article_id=aid, category=category, kind="wrong", detail=f"{label}: gold {want}, got {got}"))


def _event_matches(gold: GoldEvent, event: Event, fitting: dict[str, set[str]]) -> bool:
    if gold.type != event.type:
        return False
    sources = [fitting.get(p.entity_id, set()) for p in event.participants if p.role == "source"]
    targets = [fitting.get(p.entity_id, set()) for p in event.participants if p.role == "target"]
    if targets and not any(targets):  # unidentified victims: gold names where they were hit instead
        targets += [fitting.get(p.entity_id, set()) for p in event.participants if p.role == "location"]

    def fits(wanted: object, got: list[set[str]]) -> bool:
        options = _names(wanted)
        return any((option is None and not any(got)) or (option is not None and any(option in g for g in got))
                   for option in options)  # fmt: skip

    if fits(gold.source, sources) and fits(gold.target, targets):
        return True
    if (gold.type, gold.mode) in SYMMETRIC or (event.type, event.mode) in SYMMETRIC:
        return fits(gold.source, targets) and fits(gold.target, sources)
    return False


def _describe_gold(event: GoldEvent) -> str:
    return f"{event.type}/{event.mode} {event.source} -> {event.target} {event.date} {event.status} {event.evidence[:60]!r}"


def _describe(event, names: dict[str, str]) -> str:
    sources = [names.get(p.entity_id, p.entity_id) for p in event.participants if p.role == "source"]
    targets = [names.get(p.entity_id, p.entity_id) for p in event.participants if p.role == "target"]
    return f"{event.type}/{event.mode} {sources} -> {targets} {event.date} {event.status} {event.sentence.text[:60]!r}"


def print_report(report: EvalReport, console: Console, *, show_misses: bool = True) -> None:
    table = Table("category", "precision", "recall", "F1", "TP", "FP", "FN", title=f"newsgraph eval: {report.articles} articles")
    for name, score in (("entities", report.entities), ("events", report.events), ("figures", report.figures)):
        table.add_row(name, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
                      str(score.true_positives), str(score.false_positives), str(score.false_negatives))  # fmt: skip
    console.print(table)
    for name, acc in (("event dates", report.event_dates), ("  dated by the text", report.event_dates_text),
                      ("  dated by publication", report.event_dates_publication),
                      ("event status", report.event_status), ("figure directions", report.figure_directions)):  # fmt: skip
        console.print(f"{name} accuracy: {acc.value:.3f} ({acc.correct}/{acc.total})")
    if show_misses and report.misses:
        console.print(f"\n{len(report.misses)} misses:")
        for miss in report.misses:
            console.print(f"  [{miss.article_id}] {miss.category} {miss.kind}: {miss.detail}", highlight=False, markup=False)
