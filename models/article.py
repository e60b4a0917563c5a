"""The article as it enters the pipeline."""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Entities, events and figures share one id space with articles in the store and in every
# export (`country:ru`, `ev:3f…`), so an article id never starts with one of their prefixes.
RESERVED_ID_PREFIXES = ("person:", "org:", "country:", "place:", "group:", "agent:", "occasion:", "law:", "ev:", "fig:")
# The fields a JSON record or a sidecar may give; anything else is ignored with a warning.
INPUT_FIELDS = ("id", "url", "title", "text", "published", "source", "language")


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
    # Where it was read from (file and line, feed entry, URL), for messages; never stored.
    origin: str | None = Field(default=None, exclude=True)

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("article text is empty")
        return value

    @field_validator("id")
    @classmethod
    def _id_not_reserved(cls, value: str) -> str:
        if value.startswith(RESERVED_ID_PREFIXES):
            prefix = value.split(":", 1)[0]
            raise ValueError(f"{value!r} starts with {prefix + ':'!r}, which entity, event and figure ids use; "
                             "choose another id")  # fmt: skip
        return value

    @field_validator("id", "url", "title", "text", "source", "language")
    @classmethod
    def _valid_unicode(cls, value: str | None) -> str | None:
        """A lone surrogate (JSON's "\\ud800") is no character: no parser or store takes it."""
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(f"lone surrogate {value[exc.start]!a} at character {exc.start + 1}: "
                                 "not valid Unicode text") from None  # fmt: skip
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
