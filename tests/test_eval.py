"""Extraction quality against the gold annotations, with the floors the product promises."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluate import evaluate
from tests.conftest import GOLD, ROOT


@pytest.fixture(scope="module")
def report():
    return evaluate(sorted(GOLD.glob("*.gold.json")), root=ROOT)


def test_eval_covers_every_sample(report):
    samples = {p.stem for p in (ROOT / "samples").glob("*.txt")}
    samples |= {json.loads(line)["id"] for line in (ROOT / "samples" / "wire.jsonl").read_text().splitlines() if line.strip()}
    golds = {json.loads(p.read_text())["article_id"] for p in GOLD.glob("*.gold.json")}
    assert samples == golds
    assert report.articles == len(golds)


def test_eval_events_f1_floor(report):
    # The floor of the trained event layer on the samples it was not fitted on but whose rules
    # were tuned on them (docs/EVALUATION.md has the figures on unseen news).
    assert report.events.f1 >= 0.78, report.summary()


def test_eval_events_on_the_blind_set_floor():
    # Below today's 0.55 and 0.91 by a margin for retraining jitter (a few candidates cross the
    # type floor each time); a fall past it is a regression.
    blind = evaluate(sorted((ROOT / "tests" / "blind").glob("*.gold.json")), root=ROOT)
    assert blind.events.f1 >= 0.50 and blind.event_dates.value >= 0.85, blind.summary()


def test_eval_figures_f1_floor(report):
    assert report.figures.f1 >= 0.9, report.summary()


def test_eval_dates_floor(report):
    assert report.event_dates.value >= 0.9, report.summary()


def test_eval_entities_and_directions(report):
    assert report.entities.f1 >= 0.9 and report.figure_directions.value >= 0.9, report.summary()


def test_eval_cli_prints_scores_and_misses(cli):
    result = cli("eval", str(GOLD / "asiae-2024-04-17-china-russia-exports.gold.json"))
    assert result.exit_code == 0
    assert "events" in result.output and "figure directions accuracy" in result.output
    as_json = json.loads(cli("eval", "--json", str(GOLD / "asiae-2024-04-17-china-russia-exports.gold.json")).output)
    assert as_json["events"]["true_positives"] >= 7


def test_eval_gold_country_spellings_match_the_one_country_node(tmp_path):
    # An annotator's "Democratic Republic of Congo" or "DR Congo" is the graph's country node
    # "Democratic Republic of the Congo"; an actor described by its country fits it too.
    article = tmp_path / "drc.jsonl"
    text = "Congolese troops clashed with M23 rebels near Uvira on Sunday, the Democratic Republic of Congo's army said."
    article.write_text(json.dumps({"id": "drc", "title": "Clashes near Uvira", "text": text}) + "\n")

    def scored(spelling: str):
        gold = {"article_id": "drc", "source_file": str(article), "published": None,
                "entities": [{"name": spelling, "type": "GPE", "iso": "CD"}, {"name": "Uvira", "type": "GPE"}],
                "events": [], "figures": []}  # fmt: skip
        path = tmp_path / f"{len(spelling)}.gold.json"
        path.write_text(json.dumps(gold))
        return evaluate([path], root=tmp_path)

    for spelling in ("Democratic Republic of Congo", "DR Congo", "Democratic Republic of the Congo"):
        report = scored(spelling)
        assert ("democratic republic of the congo (Place)" not in [m.detail for m in report.misses]
                and report.entities.false_negatives == 0), (spelling, report.misses)  # fmt: skip
    assert scored("Congo Free State").entities.false_negatives == 1
