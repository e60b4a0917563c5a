"""Near-duplicates: every copy of a much-copied story links to its original, the work per
article stays bounded, and an index rebuilt from disk after a kill decides the same."""

from __future__ import annotations

import numpy as np

from models import Article
from pipeline.sources.dedup import BUCKET_CAP, SeenIndex

STORY = ("The European Union adopted a new package of sanctions against Russia on Friday, adding nearly two hundred "
         "companies to its lists, including firms in China and Turkey accused of helping Moscow obtain drones. "
         "Hungary dropped its objections after several days of talks, diplomats in Brussels said.")


def _copies(count: int) -> list[Article]:
    articles = []
    for index in range(count):
        words = STORY.split()
        words[(index * 3) % len(words)] = f"changed{index}"
        articles.append(Article(id=f"copy-{index:04d}", title="EU sanctions", text=" ".join(words)))
    return articles


def _run(seen: SeenIndex, articles: list[Article]) -> tuple[list, list[dict]]:
    decisions, records = [], []
    for article in articles:
        fingerprint = seen.fingerprint(article)
        original = seen.original_of(article, fingerprint)
        decisions.append(original)
        records.append(seen.add(article, copy_of=original[0] if original else None, fingerprint=fingerprint))
    return decisions, records


def test_dedup_many_near_copies_link_to_the_first_and_compare_a_bounded_number(tmp_path):
    articles = _copies(300)
    seen = SeenIndex(tmp_path / "seen.jsonl")
    decisions, records = _run(seen, articles)
    assert decisions[0] is None
    assert all(d == ("copy-0000", "near") for d in decisions[1:])
    bound = len(seen.bands.ranges) * BUCKET_CAP
    signatures = [np.asarray(seen.fingerprint(a)["minhash"], dtype=np.uint64) for a in articles[-20:]]
    largest = max(len(seen.bands.candidates(signature)) for signature in signatures)
    assert largest <= bound < len(articles)  # not one comparison per earlier copy
    seen.save(records)
    reloaded = SeenIndex(tmp_path / "seen.jsonl")
    again = [reloaded.original_of(a) for a in _copies(310)[300:]]
    assert all(d == ("copy-0000", "near") for d in again)
