"""The cleaned text handed from the clean stage to the NLP stage."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from models.article import Article
from models.extraction import FieldName


class Document(BaseModel):
    """Title and cleaned body joined into one analysable text.

    `text` is `title + SEPARATOR + body`, where the body has boilerplate blanked out with
    spaces, so an offset `i >= body_offset` is offset `i - body_offset` in `article.text`.
    """

    model_config = ConfigDict(extra="forbid")

    SEPARATOR: ClassVar[str] = "\n\n"
    article: Article
    text: str
    body_offset: int
    removed: list[tuple[int, int]] = []

    def locate(self, start: int, end: int) -> tuple[FieldName, int, int]:
        """Map an offset range in `text` to (field, start, end) in the original article."""
        if start >= self.body_offset:
            return "text", start - self.body_offset, end - self.body_offset
        title_end = len(self.article.title)
        return "title", start, min(end, title_end)
