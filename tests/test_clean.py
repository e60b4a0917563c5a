"""Boilerplate removal keeps every offset pointing into the original text."""

from __future__ import annotations

from models import Article
from pipeline.clean import clean


def test_clean_blanks_boilerplate_without_moving_offsets():
    text = ("Skip to content\nMenu\nGreat Headline\nRussia and China signed a deal. [Photo: Jane Roe/Wire]\n"
            "Share this article\n© 2024 Meridian Wire. All rights reserved.\nFollow us on X\n")  # fmt: skip
    document = clean(Article(id="a", title="Great Headline", text=text))
    body = document.text[document.body_offset :]
    assert len(body) == len(text)
    for gone in ("Skip to content", "Menu", "Great Headline", "Photo", "Share this", "©", "Follow us"):
        assert gone not in body
    start = body.index("Russia")
    assert text[start : start + len("Russia and China")] == "Russia and China"
    assert document.locate(document.body_offset + start, document.body_offset + start + 6) == ("text", start, start + 6)


def test_clean_keeps_the_title_in_front():
    document = clean(Article(id="a", title="Headline", text="Body sentence."))
    assert document.text.startswith("Headline\n\n")
    assert document.locate(0, 8) == ("title", 0, 8)
