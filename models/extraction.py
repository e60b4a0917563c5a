"""What extraction produces for one article: entities, events, figures and relations.

Every offset is a character offset into one field of the original article (`title` or
`text`), so each fact can be traced back to the exact characters it came from.
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.article import ArticleRef
from models.article import content_hash as article_hash

FieldName = Literal["title", "text"]
# spaCy's named entity types, and AGENT: a descriptive actor such as "Russian troops".
EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "AGENT"]
# The entity types that can do something to someone: people, organisations, places, groups.
ACTOR_TYPES: frozenset[str] = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "AGENT"})
EventStatus = Literal["happened", "planned", "negated"]
Role = Literal["source", "target", "location"]
Direction = Literal["increase", "decrease"]

PloverType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
    "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
    "COERCE", "FIGHT", "ASSAULT",
]  # fmt: skip
PLOVER_TYPES: tuple[str, ...] = get_args(PloverType)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A piece of the original article: which field, where, and what it says."""

    field: FieldName = "text"
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Mention(Span):
    """One occurrence of an entity in the article."""


class Entity(_Model):
    id: str
    name: str
    type: EntityType
    aliases: list[str] = []
    mentions: list[Mention] = []
    attributes: dict[str, str] = {}


class Participant(_Model):
    entity_id: str
    role: Role


class Event(_Model):
    id: str
    type: str = Field(description="one of PLOVER_TYPES")
    mode: str | None = None
    cameo: str | None = None
    status: EventStatus = "happened"
    trigger: Span
    participants: list[Participant] = []
    date: str | None = None
    date_text: str | None = None
    date_basis: Literal["text", "publication"] | None = None
    sentence: Span
    confidence: float = Field(ge=0.0, le=1.0)

    @field_validator("type")
    @classmethod
    def _plover(cls, value: str) -> str:
        if value not in PLOVER_TYPES:
            raise ValueError(f"{value!r} is not a PLOVER event type")
        return value


class Figure(_Model):
    id: str
    value: float = Field(ge=0.0)
    unit: str
    kind: Literal["percent", "money", "count"]
    direction: Direction | None = None
    metric: str | None = None
    entity_ids: list[str] = []
    basis: str | None = None
    period: str | None = None
    span: Span
    sentence: Span


class Relation(_Model):
    """An actor-to-actor projection of an event, or a role/affiliation of an actor."""

    type: str
    source_id: str
    target_id: str
    event_id: str | None = None
    date: str | None = None
    attributes: dict[str, str] = {}
    sentence: Span


class Quote(_Model):
    speaker_id: str | None
    text: Span


def facts_hash(content_hash: str, extractor: str) -> str:
    """What a store keeps to tell an article unchanged: its content and the extractor that
    read it (an empty `extractor`, from a caller that does not say, leaves the content hash)."""
    return article_hash(content_hash, extractor) if extractor else content_hash


class ExtractionResult(_Model):
    """The contract between extraction and everything downstream (graph, stores, JSON)."""

    article: ArticleRef
    content_hash: str
    extractor: str = Field("", description="fingerprint of the code, data and spaCy model that extracted it")
    entities: list[Entity] = []
    events: list[Event] = []
    figures: list[Figure] = []
    relations: list[Relation] = []
    quotes: list[Quote] = []
    citations: list[str] = []
