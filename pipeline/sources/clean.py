"""Clean: blank out boilerplate (navigation, share lines, captions, copyright, a
repeated headline) so that none of it reaches NLP, while every offset stays valid."""

from __future__ import annotations

import functools
import re

from models import Article, Document
from pipeline.data_files import DataFile, load_data


class BoilerplateFile(DataFile):
    lines: list[str]
    line_patterns: list[str]
    section_headers: list[str]
    span_patterns: list[str]


@functools.cache
def _rules() -> tuple[frozenset[str], list[re.Pattern[str]], list[re.Pattern[str]], frozenset[str]]:
    data = load_data("boilerplate.toml", BoilerplateFile)
    lines = frozenset(line.casefold() for line in data.lines)
    line_patterns = [re.compile(p, re.IGNORECASE) for p in data.line_patterns]
    # Span patterns are case-sensitive: a dateline is told apart by its capitals.
    span_patterns = [re.compile(p) if p.startswith("^[A-Z]") else re.compile(p, re.IGNORECASE)
                     for p in data.span_patterns]  # fmt: skip
    sections = frozenset(h.casefold() for h in data.section_headers)
    return lines, line_patterns, span_patterns, sections


def _normalise(line: str) -> str:
    return " ".join(line.split()).casefold().rstrip(".… ")


def boilerplate_spans(text: str, title: str = "", outlet: str | None = None) -> list[tuple[int, int]]:
    """Character ranges of `text` that are boilerplate, in order. A line repeating the
    headline or naming the outlet (a masthead) is boilerplate too."""
    lines, line_patterns, span_patterns, sections = _rules()
    headline = _normalise(title)
    masthead = _normalise(outlet or "")
    spans: list[tuple[int, int]] = []
    offset = 0
    in_section = False
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        stripped = content.strip()
        start = offset + (len(content) - len(content.lstrip()))
        end = start + len(stripped)
        offset += len(line)
        if not stripped:
            continue
        if in_section and not stripped.endswith((".", "!", "?", '"', "”")):
            spans.append((start, end))  # a headline in a list of related stories
            continue
        in_section = stripped.casefold().rstrip(":") in sections
        inline = [(m.start(), m.end()) for p in span_patterns for m in p.finditer(content)]
        rest = content
        for s, e in sorted(inline, reverse=True):
            rest = rest[:s] + rest[e:]
        if (
            stripped.casefold() in lines
            or any(p.match(stripped) for p in line_patterns)
            or (headline and _normalise(rest) == headline)
            or (masthead and _normalise(rest) == masthead)
        ):
            spans.append((start, end))  # the whole line, captioned headline included
            continue
        line_start = offset - len(line)
        spans.extend((line_start + s, line_start + e) for s, e in sorted(inline))
    return spans


def cut(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int, int]]]:
    """`text` without the spans, and the kept segments as (new offset, old offset, length).

    A span cut from inside a line leaves one space, so the words around it stay apart.
    """
    pieces: list[str] = []
    segments: list[tuple[int, int, int]] = []
    position = length = 0
    for start, end in sorted(spans):
        if start > position:
            segments.append((length, position, start - position))
            pieces.append(text[position:start])
            length += start - position
        before = text[start - 1] if start > 0 else "\n"
        after = text[end] if end < len(text) else "\n"
        if not before.isspace() and not after.isspace():
            pieces.append(" ")
            length += 1
        position = max(position, end)
    if position < len(text):
        segments.append((length, position, len(text) - position))
        pieces.append(text[position:])
    return "".join(pieces), segments


def clean(article: Article) -> Document:
    """The analysable document: title, a blank line, and the body without boilerplate."""
    removed = boilerplate_spans(article.text, article.title, article.source)
    body, segments = cut(article.text, removed)
    title = article.title.replace("\n", " ")
    if title.strip() and not title.rstrip().endswith((".", "!", "?", "…", '"', "”")):
        title += "."  # a headline is a sentence of its own; without a stop the parser runs on
    return Document(
        article=article,
        text=title + Document.SEPARATOR + body,
        body_offset=len(title) + len(Document.SEPARATOR),
        segments=segments,
        removed=removed,
    )
