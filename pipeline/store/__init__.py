"""Stage 4, store: one small interface (`base`), one module per backend (`ladybug`, `neo4j`),
the Cypher both speak (`cypher`), the write algorithm they share (`writer`), canned queries.

`open_store(target)` picks the backend: a bolt:// or neo4j:// URI opens Neo4j, anything else
is a directory path for the embedded LadybugDB store.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.store.base import GraphStore

DEFAULT_DB = "newsgraph.db"
DB_ENV = "NEWSGRAPH_DB"
NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def resolve_target(target: str | None) -> str:
    return target or os.environ.get(DB_ENV) or os.environ.get("NEO4J_URI") or DEFAULT_DB


def open_store(target: str | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the store named by `target`, else $NEWSGRAPH_DB, else $NEO4J_URI, else
    ./newsgraph.db."""
    resolved = resolve_target(target)
    scheme, sep, _ = resolved.partition("://")
    if sep and not resolved.startswith(NEO4J_SCHEMES):
        from pipeline.errors import StoreError

        raise StoreError(
            f"{scheme}:// is not a graph store URI: Neo4j speaks Bolt ({', '.join(s[:-3] for s in NEO4J_SCHEMES)}), "
            "and a LadybugDB store is a path"
        )
    if resolved.startswith(NEO4J_SCHEMES):
        from pipeline.store.neo4j import Neo4jStore

        return Neo4jStore(resolved, read_only=read_only)
    from pipeline.store.ladybug import LadybugStore

    return LadybugStore(resolved, read_only=read_only)


def __getattr__(name: str) -> Any:
    # The interface pulls in the pydantic models; importing it only when asked keeps
    # `newsgraph --help`, which reads DEFAULT_DB and DB_ENV from here, fast.
    if name == "GraphStore":
        from pipeline.store.base import GraphStore

        return GraphStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DEFAULT_DB", "GraphStore", "open_store", "resolve_target"]
