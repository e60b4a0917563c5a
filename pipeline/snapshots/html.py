"""The interactive HTML view: one self-contained page of the actor graph.

Actors are sized by mentions and coloured by label; each actor relation is an edge labelled
with its type; a search box and a date range filter the graph; a click shows the evidence
sentences with links to their articles. The page inlines Cytoscape.js (vendored from npm by
`make vendor`) and the graph as JSON, and its Content-Security-Policy forbids every fetch.

Article text is untrusted: the JSON is escaped so that no `</script>` or `<!--` can close its
element, and the page puts text into the DOM with `textContent` only; links must be http(s).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipeline.data_files import DATA_DIR
from pipeline.errors import NewsgraphError
from pipeline.graph.schema import ACTOR_LABELS
from pipeline.snapshots.elements import Snapshot
from pipeline.snapshots.slices import mention_counts, relation_types

TEMPLATE = DATA_DIR / "view.html"
VENDORED_JS = DATA_DIR / "vendor" / "cytoscape.min.js"
MAX_EVIDENCE = 20  # sentences kept per event: enough to read, bounded for huge graphs


class MissingAssetError(NewsgraphError):
    """The vendored JavaScript library is not there."""


def view_data(snapshot: Snapshot) -> dict[str, Any]:
    """What the page shows: actors in relations, the relations, their evidence and articles."""
    relations = relation_types()
    actors = {node.id: node for node in snapshot.nodes if node.label in ACTOR_LABELS}
    edges: list[dict[str, Any]] = []
    for rel in snapshot.rels:
        if rel.type in relations and rel.source in actors and rel.target in actors:
            props = rel.props
            edges.append({"id": f"e{len(edges)}", "source": rel.source, "target": rel.target, "type": rel.type,
                          "date": props.get("date"), "event_type": props.get("event_type"),
                          "status": props.get("status"), "event_id": props.get("event_id")})  # fmt: skip
    in_view = {e["source"] for e in edges} | {e["target"] for e in edges}
    mentions = mention_counts(snapshot)
    nodes = [
        {"id": node.id, "name": str(node.props.get("name", node.id)), "label": node.label,
         "mentions": mentions.get(node.id, 0)}
        for node in actors.values() if node.id in in_view
    ]  # fmt: skip
    wanted = {e["event_id"] for e in edges}
    evidence: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rel in snapshot.rels:
        if rel.type == "REPORTS" and rel.target in wanted and len(evidence[rel.target]) < MAX_EVIDENCE:
            evidence[rel.target].append({"sentence": str(rel.props.get("sentence", "")), "article": rel.source})
    cited = {item["article"] for items in evidence.values() for item in items}
    articles = {
        node.id: {"title": node.props.get("title"), "url": node.props.get("url"),
                  "published": str(node.props.get("published") or "")[:10]}
        for node in snapshot.nodes if node.label == "Article" and node.id in cited
    }  # fmt: skip
    return {"nodes": nodes, "edges": edges, "evidence": evidence, "articles": articles}


def script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))  # fmt: skip


def vendored_library() -> str:
    if not VENDORED_JS.is_file():
        raise MissingAssetError(
            f"{VENDORED_JS} is missing: run `make vendor` (or `make install`) to fetch Cytoscape.js from npm"
        )
    return VENDORED_JS.read_text(encoding="utf-8")


def render_html(data: dict[str, Any]) -> str:
    """The page for `view_data(...)`."""
    parts = {"__GRAPH_DATA__": script_json(data), "__CYTOSCAPE__": vendored_library()}
    # One pass over the template, so nothing in the data or the library is ever substituted.
    return re.sub("__GRAPH_DATA__|__CYTOSCAPE__", lambda m: parts[m.group(0)], TEMPLATE.read_text(encoding="utf-8"))


def write_html(snapshot: Snapshot, path: Path) -> tuple[int, int]:
    """Write the page; returns (actors, relations) shown."""
    data = view_data(snapshot)
    path.write_text(render_html(data), encoding="utf-8")
    return len(data["nodes"]), len(data["edges"])
