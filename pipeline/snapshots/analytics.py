"""Analytics on the actor graph of a snapshot: centrality, communities, strongest pairs, and
what changed between two snapshots.

The actor graph has one node per actor (Person, Organization, Place, Group) that takes part in
an actor-to-actor relation (MET, VISITED, SANCTIONED…), and one undirected edge per pair,
weighted by the number of distinct events between them. PageRank is computed here in pure
Python: networkx 3's `pagerank` needs scipy, a large dependency for a graph of this size.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal, TypeVar

import networkx as nx
from pydantic import BaseModel

from pipeline.graph.schema import ACTOR_LABELS, unidentified_agent
from pipeline.snapshots.elements import Snapshot
from pipeline.snapshots.slices import mention_counts, relation_types

RANKINGS = ("pagerank", "degree", "betweenness", "mentions")


class ActorScore(BaseModel):
    rank: int
    id: str
    name: str
    label: str
    mentions: int
    degree: int
    events: int
    pagerank: float
    betweenness: float
    community: int


class Pair(BaseModel):
    source: str
    target: str
    events: int
    relations: list[str]
    first: str | None
    last: str | None


class Community(BaseModel):
    id: int
    size: int
    members: list[str]


class Analysis(BaseModel):
    actors: list[ActorScore]
    pairs: list[Pair]
    communities: list[Community]


def actor_graph(snapshot: Snapshot) -> nx.Graph:
    """Undirected actor graph; edge attrs: weight (distinct events), relations, dates.
    Unidentified agents (an Agent without a country: "gunmen" of one article) are left out:
    each is a stranger of one story, not an actor to rank or group."""
    names = {n.id: str(n.props.get("name", n.id)) for n in snapshot.nodes
             if n.label in ACTOR_LABELS and not unidentified_agent(n.label, n.props)}  # fmt: skip
    relations = relation_types()
    events: dict[frozenset, set[str]] = defaultdict(set)
    kinds: dict[frozenset, set[str]] = defaultdict(set)
    dates: dict[frozenset, list[str]] = defaultdict(list)
    for rel in snapshot.rels:
        source, rel_type, target, props = rel.source, rel.type, rel.target, rel.props
        if rel_type in relations and source in names and target in names and source != target:
            pair = frozenset((source, target))
            events[pair].add(str(props.get("event_id", f"{source}|{rel_type}|{target}")))
            kinds[pair].add(rel_type)
            if props.get("date"):
                dates[pair].append(str(props["date"]))
    graph = nx.Graph()
    for pair in sorted(events, key=sorted):
        a, b = sorted(pair)
        for node in (a, b):
            graph.add_node(node, name=names[node])
        graph.add_edge(a, b, weight=len(events[pair]), relations=sorted(kinds[pair]), dates=sorted(dates[pair]))
    return graph


def pagerank(graph: nx.Graph, *, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 200) -> dict[str, float]:
    """Weighted PageRank by power iteration; dangling nodes spread their rank evenly."""
    nodes = list(graph)
    if not nodes:
        return {}
    size = len(nodes)
    strength = {n: sum(d.get("weight", 1) for _, _, d in graph.edges(n, data=True)) for n in nodes}
    rank = dict.fromkeys(nodes, 1.0 / size)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[n] for n in nodes if strength[n] == 0) / size
        nxt = dict.fromkeys(nodes, (1.0 - alpha) / size + dangling)
        for node in nodes:
            if strength[node]:
                share = alpha * rank[node] / strength[node]
                for neighbour, data in graph[node].items():
                    nxt[neighbour] += share * data.get("weight", 1)
        if sum(abs(nxt[n] - rank[n]) for n in nodes) < size * tol:
            return nxt
        rank = nxt
    return rank


def analyse(snapshot: Snapshot, *, limit: int = 20, by: str = "pagerank") -> Analysis:
    """The most central actors, the strongest pairs and the communities of `snapshot`."""
    graph = actor_graph(snapshot)
    labels = {node.id: node.label for node in snapshot.nodes}
    mentions = mention_counts(snapshot)
    ranks = pagerank(graph)
    between = nx.betweenness_centrality(graph) if graph.number_of_nodes() else {}
    groups = nx.community.louvain_communities(graph, weight="weight", seed=0) if graph.number_of_edges() else []
    ordered_groups = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))
    community = {node: index for index, members in enumerate(ordered_groups, 1) for node in members}
    involved: dict[str, set[str]] = defaultdict(set)
    for rel in snapshot.rels:
        event_id = rel.props.get("event_id")
        if rel.source in graph and rel.target in graph and event_id:
            involved[rel.source].add(str(event_id))
            involved[rel.target].add(str(event_id))
    scores = [
        {"id": n, "name": graph.nodes[n]["name"], "label": labels[n], "mentions": mentions.get(n, 0),
         "degree": graph.degree(n), "events": len(involved[n]), "pagerank": round(ranks[n], 6),
         "betweenness": round(between.get(n, 0.0), 6), "community": community.get(n, 0)}
        for n in graph
    ]  # fmt: skip
    scores.sort(key=lambda s: (-s[by], -s["pagerank"], s["name"]))
    actors = [ActorScore(rank=i, **s) for i, s in enumerate(scores[:limit], 1)]
    pairs = sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], graph.nodes[e[0]]["name"], graph.nodes[e[1]]["name"]))
    top_pairs = [
        Pair(source=graph.nodes[a]["name"], target=graph.nodes[b]["name"], events=d["weight"], relations=d["relations"],
             first=d["dates"][0] if d["dates"] else None, last=d["dates"][-1] if d["dates"] else None)
        for a, b, d in pairs[:limit]
    ]  # fmt: skip
    by_rank = sorted(graph, key=lambda n: -ranks[n])
    communities = [
        Community(id=i, size=len(members), members=[graph.nodes[n]["name"] for n in by_rank if community.get(n) == i][:10])
        for i, members in enumerate(ordered_groups, 1)
    ]
    return Analysis(actors=actors, pairs=top_pairs, communities=communities[:limit])


# --- diff ----------------------------------------------------------------------------------


class ActorChange(BaseModel):
    change: Literal["added", "removed"]
    id: str
    name: str
    label: str


class RelationChange(BaseModel):
    change: Literal["added", "removed"]
    source: str
    relation: str
    target: str
    date: str | None
    event_id: str | None


class SnapshotDiff(BaseModel):
    actors: list[ActorChange]
    relations: list[RelationChange]


def _actors(snapshot: Snapshot) -> dict[str, tuple[str, str]]:
    return {n.id: (n.label, str(n.props.get("name", n.id))) for n in snapshot.nodes if n.label in ACTOR_LABELS}


def _relations(snapshot: Snapshot) -> dict[tuple[Any, ...], dict[str, Any]]:
    relations = relation_types()
    return {(r.source, r.type, r.target, r.props.get("event_id")): r.props for r in snapshot.rels if r.type in relations}


Table = TypeVar("Table", bound=dict[Any, Any])


def _sides(old: Table, new: Table) -> list[tuple[Literal["added", "removed"], Table, Table]]:
    """(change, where to look, what to compare with): what `old` has alone was removed."""
    return [("removed", old, new), ("added", new, old)]


def diff(before: Snapshot, after: Snapshot) -> SnapshotDiff:
    """Actors and actor relations added or removed from `before` to `after`."""
    old_actors, new_actors = _actors(before), _actors(after)
    names = {i: name for i, (_, name) in (old_actors | new_actors).items()}
    actors = [
        ActorChange(change=change, id=i, label=table[i][0], name=table[i][1])
        for change, table, other in _sides(old_actors, new_actors)
        for i in sorted(table.keys() - other.keys())
    ]
    old_rels, new_rels = _relations(before), _relations(after)
    relations = [
        RelationChange(change=change, source=names.get(key[0], key[0]), relation=key[1], target=names.get(key[2], key[2]),
                       date=table[key].get("date"), event_id=key[3])  # fmt: skip
        for change, table, other in _sides(old_rels, new_rels)
        for key in sorted(table.keys() - other.keys(), key=lambda k: (table[k].get("date") or "", k[:3], k[3] or ""))
    ]
    return SnapshotDiff(actors=actors, relations=relations)
