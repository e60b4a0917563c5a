"""Stage 2, clean: blank out boilerplate (navigation, share lines, captions, copyright, a
repeated headline) so that none of it reaches NLP, while every offset stays valid."""

from __future__ import annotations

import functools
import re

from models import Article, Document
from pipeline.data_files import load


@functools.cache
def _rules() -> tuple[frozenset[str], list[re.Pattern[str]], list[re.Pattern[str]]]:
    data = load("boilerplate.toml")
    lines = frozenset(line.casefold() for line in data["lines"])
    flags = re.IGNORECASE
    line_patterns = [re.compile(p, flags) for p in data["line_patterns"]]
    span_patterns = [re.compile(p, flags) for p in data["span_patterns"]]
    return lines, line_patterns, span_patterns


def _normalise(line: str) -> str:
    return " ".join(line.split()).casefold().rstrip(".… ")


def boilerplate_spans(text: str, title: str = "") -> list[tuple[int, int]]:
    """Character ranges of `text` that are boilerplate, in order."""
    lines, line_patterns, span_patterns = _rules()
    headline = _normalise(title)
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        stripped = content.strip()
        start = offset + (len(content) - len(content.lstrip()))
        end = start + len(stripped)
        offset += len(line)
        if not stripped:
            continue
        inline = [(m.start(), m.end()) for p in span_patterns for m in p.finditer(content)]
        rest = content
        for s, e in sorted(inline, reverse=True):
            rest = rest[:s] + rest[e:]
        if (
            stripped.casefold() in lines
            or any(p.match(stripped) for p in line_patterns)
            or (headline and _normalise(rest) == headline)
        ):
            spans.append((start, end))  # the whole line, captioned headline included
            continue
        line_start = offset - len(line)
        spans.extend((line_start + s, line_start + e) for s, e in sorted(inline))
    return spans


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by as many spaces, so offsets do not move."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def clean(article: Article) -> Document:
    """The analysable document: title, a blank line, and the body without boilerplate."""
    removed = boilerplate_spans(article.text, article.title)
    body = blank(article.text, removed)
    title = article.title.replace("\n", " ")
    return Document(
        article=article,
        text=title + Document.SEPARATOR + body,
        body_offset=len(title) + len(Document.SEPARATOR),
        removed=removed,
    )
