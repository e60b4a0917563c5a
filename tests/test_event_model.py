"""The shipped event model is what the corpus and the code make: `make model` after a change."""

from __future__ import annotations

from pipeline.nlp.events.classifier import event_model
from pipeline.nlp.events.corpus import read_corpus
from pipeline.nlp.events.training import corpus_digest, dev_records, examples, score
from tests.conftest import ROOT

CORPUS = sorted((ROOT / "training" / "events").glob("*.jsonl"))


def test_event_model_was_trained_on_the_corpus_as_it_is():
    assert event_model().meta["corpus_sha256"] == corpus_digest(CORPUS), "the corpus changed: run `make model`"


def test_event_model_scores_what_it_scored_when_trained():
    model = event_model()
    rows, _ = examples(dev_records(read_corpus(CORPUS)), model.event_nouns)
    scored = score(model, rows)
    recorded = model.meta["probe"]
    assert all(abs(scored[k] - recorded[k]) <= 0.01 for k in ("precision", "recall", "f1")), (scored, recorded)
