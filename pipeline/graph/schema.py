"""The graph schema shared by every store: node labels, relationship types, properties.

Labels and relationship types used in Cypher come only from this module's whitelist, never
from article text; `label_for` and `rel_type` refuse anything not declared here.
"""

from __future__ import annotations

import functools
import re

from pipeline.data_files import load

# Property name -> type (LadybugDB spelling; Neo4j is schemaless for properties).
ENTITY_PROPS = {"id": "STRING", "name": "STRING", "type": "STRING", "iso": "STRING", "country": "STRING"}
NODE_PROPS: dict[str, dict[str, str]] = {
    "Article": {
        "id": "STRING", "url": "STRING", "title": "STRING", "source": "STRING",
        "published": "STRING", "content_hash": "STRING", "language": "STRING",
    },
    "Person": ENTITY_PROPS,
    "Organization": ENTITY_PROPS,
    "Place": ENTITY_PROPS,
    "Group": ENTITY_PROPS,
    "NamedEvent": ENTITY_PROPS,
    "Law": ENTITY_PROPS,
    "Event": {
        "id": "STRING", "type": "STRING", "mode": "STRING", "cameo": "STRING", "status": "STRING",
        "date": "STRING", "date_text": "STRING", "confidence": "DOUBLE",
    },
    "Figure": {
        "id": "STRING", "value": "DOUBLE", "unit": "STRING", "kind": "STRING",
        "direction": "STRING", "metric": "STRING", "basis": "STRING", "period": "STRING",
        "text": "STRING", "field": "STRING", "start_offset": "INT64", "end_offset": "INT64",
        "sentence": "STRING",
    },
}  # fmt: skip

ENTITY_LABEL = {
    "PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Place",
    "NORP": "Group", "EVENT": "NamedEvent", "LAW": "Law",
}  # fmt: skip
ENTITY_LABELS = ("Person", "Organization", "Place", "Group", "NamedEvent", "Law")
ACTOR_LABELS = ("Person", "Organization", "Place", "Group")

# Evidence: the sentence and where it sits in the article field. `start`/`end` are reserved
# words in LadybugDB, hence the longer names.
_EVIDENCE = {"sentence": "STRING", "field": "STRING", "start_offset": "INT64", "end_offset": "INT64"}


def _pairs(sources: tuple[str, ...], targets: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(s, t) for s in sources for t in targets]


@functools.cache
def projection_types() -> dict[str, str]:
    """PLOVER type or type/mode -> actor relationship type, validated."""
    table = load("relations.toml")["projection"]
    for key, value in table.items():
        if not re.fullmatch(r"[A-Z][A-Z_]*", value):
            raise ValueError(f"relations.toml: {key} = {value!r} is not an upper-case identifier")
    return table


def projection_for(event_type: str, mode: str | None) -> str | None:
    table = projection_types()
    return table.get(f"{event_type}/{mode}") or table.get(event_type)


@functools.cache
def rel_schema() -> dict[str, tuple[list[tuple[str, str]], dict[str, str]]]:
    """Relationship type -> ((from, to) label pairs, property types)."""
    schema = {
        "MENTIONS": (
            _pairs(("Article",), ENTITY_LABELS),
            {"count": "INT64", "first_offset": "INT64", "field": "STRING", "surface": "STRING",
             "aliases": "STRING[]", "title": "STRING"},
        ),
        "REPORTS": (
            [("Article", "Event")],
            _EVIDENCE | {"trigger": "STRING", "trigger_start": "INT64", "trigger_end": "INT64",
                         "confidence": "DOUBLE", "date_text": "STRING"},
        ),
        "SOURCE": (_pairs(("Event",), ENTITY_LABELS), {}),
        "TARGET": (_pairs(("Event",), ENTITY_LABELS), {}),
        "LOCATION": (_pairs(("Event",), ENTITY_LABELS), {}),
        "HAS_FIGURE": ([("Article", "Figure")], {}),
        "CONCERNS": (_pairs(("Figure",), ENTITY_LABELS), {"role": "STRING"}),
        "IN_COUNTRY": (_pairs(("Place", "Group"), ("Place",)), {}),
        "AFFILIATED_WITH": (
            _pairs(("Person",), ("Organization", "Place", "Group")),
            {"role": "STRING", "article_id": "STRING"} | _EVIDENCE,
        ),
        "CITES": ([("Article", "Organization")], {"count": "INT64"}),
        "DUPLICATE_OF": ([("Article", "Article")], {"kind": "STRING"}),
        "QUOTES": (_pairs(("Article",), ("Person", "Organization")), {"text": "STRING"} | _EVIDENCE),
    }  # fmt: skip
    projection_props = {
        "event_id": "STRING", "event_type": "STRING", "mode": "STRING", "status": "STRING",
        "date": "STRING",
    }  # fmt: skip
    for rel in sorted(set(projection_types().values())):
        schema[rel] = (_pairs(ACTOR_LABELS, ACTOR_LABELS), projection_props)
    return schema


def label_for(entity_type: str) -> str:
    """The node label of a spaCy entity type; raises on anything not in the schema."""
    return ENTITY_LABEL[entity_type]


def check_label(label: str) -> str:
    if label not in NODE_PROPS:
        raise ValueError(f"{label!r} is not a node label of the schema")
    return label


def check_rel_type(rel_type: str) -> str:
    if rel_type not in rel_schema():
        raise ValueError(f"{rel_type!r} is not a relationship type of the schema")
    return rel_type
