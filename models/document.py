"""The cleaned text handed from the clean stage to the NLP stage."""

from __future__ import annotations

import bisect
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from models.article import Article
from models.extraction import FieldName, Mention, Span


class Document(BaseModel):
    """Title and cleaned body joined into one analysable text: `title + SEPARATOR + body`.

    Boilerplate is cut out of the body; `segments` records where each kept piece of the
    body came from, as (offset in body, offset in article.text, length), so every offset in
    `text` maps back to the original article with `locate`.
    """

    model_config = ConfigDict(extra="forbid")

    SEPARATOR: ClassVar[str] = "\n\n"
    article: Article
    text: str
    body_offset: int
    segments: list[tuple[int, int, int]] = []
    removed: list[tuple[int, int]] = []

    def _original(self, body_position: int, *, is_end: bool) -> int:
        starts = [segment[0] for segment in self.segments]
        index = bisect.bisect_right(starts, body_position - (1 if is_end else 0)) - 1
        if index < 0:
            return self.segments[0][1] if self.segments else 0
        body_start, original_start, length = self.segments[index]
        return original_start + min(body_position - body_start, length)

    def locate(self, start: int, end: int) -> tuple[FieldName, int, int]:
        """Map an offset range in `text` to (field, start, end) in the original article."""
        if start >= self.body_offset:
            body_start, body_end = start - self.body_offset, end - self.body_offset
            return "text", self._original(body_start, is_end=False), self._original(body_end, is_end=True)
        title_end = len(self.article.title)
        return "title", start, min(end, title_end)

    def mention(self, start: int, end: int) -> Mention:
        """The original characters behind an offset range of `text`, as an entity mention."""
        field, field_start, field_end = self.locate(start, end)
        source = self.article.title if field == "title" else self.article.text
        return Mention(field=field, start=field_start, end=field_end, text=source[field_start:field_end])

    def span(self, start: int, end: int) -> Span:
        """The original characters behind an offset range of `text`, trimmed of spaces."""
        # Trim in `text` first: a sentence's trailing blank lines may stand where boilerplate
        # was cut, and mapped back they would take the cut lines (a footer) into the span.
        while end > start and self.text[end - 1].isspace():
            end -= 1
        while start < end and self.text[start].isspace():
            start += 1
        field, field_start, field_end = self.locate(start, end)
        source = self.article.title if field == "title" else self.article.text
        raw = source[field_start:field_end]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        return Span(field=field, start=field_start + lead, end=field_start + lead + len(text), text=text)
