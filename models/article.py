"""The article as it enters the pipeline."""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import BaseModel, ConfigDict, Field, field_validator


def content_hash(*parts: str | None) -> str:
    """A stable sha256 over the given text parts (None counts as empty)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


class Article(BaseModel):
    """One news article: the raw title and text exactly as read, plus metadata."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    url: str | None = None
    title: str = ""
    text: str
    published: dt.date | dt.datetime | None = None
    source: str | None = None
    language: str | None = None

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("article text is empty")
        return value

    @property
    def published_date(self) -> dt.date | None:
        """The publication day, whatever precision `published` has."""
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published

    @property
    def content_hash(self) -> str:
        """Hash of everything that changes what is extracted from this article."""
        published = self.published.isoformat() if self.published else ""
        return content_hash(self.title, self.text, published)

    def ref(self) -> ArticleRef:
        return ArticleRef(
            id=self.id,
            url=self.url,
            title=self.title,
            source=self.source,
            published=self.published,
            language=self.language,
        )


class ArticleRef(BaseModel):
    """The article metadata carried in an ExtractionResult."""

    model_config = ConfigDict(extra="forbid")

    id: str
    url: str | None = None
    title: str = ""
    source: str | None = None
    published: dt.date | dt.datetime | None = None
    language: str | None = None
