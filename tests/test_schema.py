"""The schema table is the one description of the graph: the docs are generated from it."""

from __future__ import annotations

from pipeline.graph.schema import NODE_TYPES, markdown_tables, rel_types
from tests.conftest import ROOT


def test_schema_docs_table_is_generated_from_the_schema():
    text = (ROOT / "docs" / "SCHEMA.md").read_text(encoding="utf-8")
    documented = text.split("<!-- schema:begin -->\n", 1)[1].split("<!-- schema:end -->", 1)[0]
    assert documented == markdown_tables(), "run `python -m pipeline.graph.schema` and paste it into docs/SCHEMA.md"


def test_schema_every_identity_and_end_is_declared():
    for rel in rel_types().values():
        assert set(rel.identity) <= set(rel.properties), rel.type
        assert all(s in NODE_TYPES and t in NODE_TYPES for s, t in rel.ends), rel.type
    for node in NODE_TYPES.values():
        assert next(iter(node.properties)) == "id" and set(node.indexed) <= set(node.properties)
