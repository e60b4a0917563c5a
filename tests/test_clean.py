"""Boilerplate removal keeps every offset pointing into the original text."""

from __future__ import annotations

from models import Article
from pipeline.sources.clean import clean


def test_clean_blanks_boilerplate_without_moving_offsets():
    text = ("Skip to content\nMenu\nGreat Headline\nRussia and China signed a deal. [Photo: Jane Roe/Wire]\n"
            "Share this article\n© 2024 Meridian Wire. All rights reserved.\nFollow us on X\n")  # fmt: skip
    document = clean(Article(id="a", title="Great Headline", text=text))
    body = document.text[document.body_offset :]
    for gone in ("Skip to content", "Menu", "Great Headline", "Photo", "Share this", "©", "Follow us"):
        assert gone not in body
    for word in ("Russia", "China", "deal."):
        at = document.body_offset + body.index(word)
        field, start, end = document.locate(at, at + len(word))
        assert field == "text" and text[start:end] == word


def test_clean_cuts_datelines_and_keeps_words_apart():
    text = "ANKARA, July 11 (Bosphorus Ledger) - Turkey and Russia signed a deal.\nTalks went well [Photo: X/Y] today."
    document = clean(Article(id="a", title="T", text=text))
    body = document.text[document.body_offset :]
    assert body.startswith("Turkey and Russia signed") and "well today." in " ".join(body.split())
    at = document.body_offset + body.index("today")
    assert document.locate(at, at + 5) == ("text", text.index("today"), text.index("today") + 5)


def test_clean_keeps_the_title_in_front():
    document = clean(Article(id="a", title="Headline", text="Body sentence."))
    assert document.text.startswith("Headline.\n\n")  # a stop keeps the parser from running on
    assert document.locate(0, 8) == ("title", 0, 8)
