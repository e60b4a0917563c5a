"""Pydantic data contracts that cross every pipeline stage boundary. No I/O lives here."""

from models.article import INPUT_FIELDS, RESERVED_ID_PREFIXES, Article, ArticleRef, content_hash
from models.document import Document
from models.extraction import (
    ACTOR_TYPES,
    Entity,
    Event,
    ExtractionResult,
    Figure,
    Mention,
    Participant,
    Quote,
    Relation,
    Span,
    facts_hash,
)
from models.graph import ArticleGraph, Node, PropValue, Relationship
from models.run import RunSummary, Skipped
from models.store import GraphNode, GraphPath, GraphRelationship, QueryResult, Stats, WriteReport, graph_json

__all__ = [
    "ACTOR_TYPES",
    "INPUT_FIELDS",
    "RESERVED_ID_PREFIXES",
    "ArticleGraph",
    "Node",
    "PropValue",
    "Relationship",
    "Article",
    "ArticleRef",
    "Document",
    "Entity",
    "Event",
    "ExtractionResult",
    "Figure",
    "GraphNode",
    "GraphPath",
    "GraphRelationship",
    "Mention",
    "Participant",
    "QueryResult",
    "Quote",
    "Relation",
    "RunSummary",
    "Skipped",
    "Span",
    "Stats",
    "WriteReport",
    "content_hash",
    "facts_hash",
    "graph_json",
]
