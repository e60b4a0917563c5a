"""Cypher statements shared by every store. Labels and types are interpolated only after
`schema.check_label` / `check_rel_type` accepted them; every value travels as a parameter."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.graph.schema import NODE_TYPES, check_label, check_rel_type, rel_types


@dataclass(frozen=True)
class Dialect:
    """Where LadybugDB and Neo4j Cypher differ, and nowhere else."""

    name: str
    label_of: str  # expression giving a node's label, `{}` is the variable
    type_of: str  # expression giving a relationship's type
    sparse_rows: bool = False  # parameter rows may leave out null properties


LADYBUG = Dialect("ladybug", "label({})", "label({})")
NEO4J = Dialect("neo4j", "labels({})[0]", "type({})", sparse_rows=True)

ARTICLE_HASHES = "MATCH (a:Article) WHERE a.id IN $ids RETURN a.id, a.content_hash"
EXISTING_EVENTS = "MATCH (e:Event) WHERE e.id IN $ids RETURN e.id"


def article_entities(dialect: Dialect) -> str:
    label = dialect.label_of.format("n")
    return f"MATCH (a:Article {{id: $id}})-[:MENTIONS]->(n) RETURN DISTINCT n.id, {label}"


def article_affiliations(dialect: Dialect) -> str:
    label = dialect.label_of.format("n")
    return (
        "MATCH (p:Person)-[r:AFFILIATED_WITH]->(n) WHERE r.article_id = $id "
        f"RETURN DISTINCT p.id, n.id, {label}"
    )

ARTICLE_EVENTS = "MATCH (a:Article {id: $id})-[:REPORTS]->(e:Event) RETURN e.id"
DELETE_ARTICLE_FIGURES = "MATCH (a:Article {id: $id})-[:HAS_FIGURE]->(f:Figure) DETACH DELETE f"
DELETE_ARTICLE_AFFILIATIONS = (
    "MATCH (p:Person)-[r:AFFILIATED_WITH]->() WHERE r.article_id = $id DELETE r"
)
UNREPORTED_EVENTS = (
    "MATCH (e:Event) WHERE e.id IN $ids AND NOT EXISTS { MATCH (e)<-[:REPORTS]-() } RETURN e.id"
)
DELETE_EVENTS = "MATCH (e:Event) WHERE e.id IN $ids DETACH DELETE e"
EVENT_REPORTS = (
    "MATCH (a:Article)-[r:REPORTS]->(e:Event) WHERE e.id IN $ids "
    "RETURN e.id, a.id, r.confidence, r.date_text, r.cameo, r.locations"
)
DERIVED_EVENT_PROPS = ("confidence", "date_text", "cameo")
DELETE_LOCATIONS = "UNWIND $rows AS row MATCH (e:Event {id: row.s})-[r:LOCATION]->(n) WHERE n.id = row.t DELETE r"


def set_derived_event(present: frozenset[str]) -> str:
    """Set an event's derived properties from `$rows`; a value that no report has keeps what
    the event has (a snapshot from another tool)."""
    sets = ", ".join(f"e.{p} = coalesce(row.{p}, e.{p})" for p in DERIVED_EVENT_PROPS if p in present)
    return f"UNWIND $rows AS row MATCH (e:Event {{id: row.id}}) SET {sets}"


def event_locations(dialect: Dialect) -> str:
    label = dialect.label_of.format("n")
    return f"MATCH (e:Event)-[:LOCATION]->(n) WHERE e.id IN $ids RETURN e.id, n.id, {label}"


def labels_of(dialect: Dialect) -> str:
    return f"MATCH (n) WHERE n.id IN $ids RETURN n.id, {dialect.label_of.format('n')}"


def q(name: str) -> str:
    """A schema identifier, back-quoted: `Group` is a reserved word in LadybugDB."""
    return f"`{name}`"


def delete_article_rels(rel_type: str) -> str:
    return f"MATCH (a:Article {{id: $id}})-[r:{q(check_rel_type(rel_type))}]->() DELETE r"


def delete_projections(rel_type: str) -> str:
    return f"MATCH ()-[r:{q(check_rel_type(rel_type))}]->() WHERE r.event_id IN $ids DELETE r"


def delete_orphans(label: str) -> str:
    """Delete entities of `label` in $ids that nothing points at any more."""
    return (
        f"MATCH (n:{q(check_label(label))}) WHERE n.id IN $ids "
        "AND NOT EXISTS { MATCH (n)<-[]-() } DETACH DELETE n"
    )


def merge_nodes(label: str, present: frozenset[str] | None = None) -> str:
    """Upsert nodes of one label from `$rows`; a null never overwrites a known value.
    `present` limits the SET to properties some row has (LadybugDB types an all-null
    parameter column as text, which a numeric property refuses)."""
    props = [p for p in NODE_TYPES[check_label(label)].properties if p != "id" and (present is None or p in present)]
    if not props:
        return f"UNWIND $rows AS row MERGE (n:{q(label)} {{id: row.id}})"
    assignments = ", ".join(f"n.{p} = coalesce(row.{p}, n.{p})" for p in props)
    return f"UNWIND $rows AS row MERGE (n:{q(label)} {{id: row.id}}) SET {assignments}"


def create_rels(rel_type: str, source_label: str, target_label: str, present: frozenset[str] | None = None) -> str:
    """Create relationships of one type between two labels from `$rows` ({s, t, props…})."""
    props = rel_types()[check_rel_type(rel_type)].properties
    check_label(source_label), check_label(target_label)
    prop_map = ", ".join(f"{p}: row.{p}" for p in props if present is None or p in present)
    return (
        f"UNWIND $rows AS row MATCH (s:{q(source_label)} {{id: row.s}}) "
        f"MATCH (t:{q(target_label)} {{id: row.t}}) "
        f"CREATE (s)-[:{q(rel_type)} {{{prop_map}}}]->(t)"
    ).replace(" {}]", "]")


def merge_rels(rel_type: str, source_label: str, target_label: str) -> str:
    """Create a relationship of one type between two nodes only if none exists yet."""
    check_rel_type(rel_type), check_label(source_label), check_label(target_label)
    return (
        f"UNWIND $rows AS row MATCH (s:{q(source_label)} {{id: row.s}}) "
        f"MATCH (t:{q(target_label)} {{id: row.t}}) MERGE (s)-[:{q(rel_type)}]->(t)"
    )


def count_nodes(label: str) -> str:
    return f"MATCH (n:{q(check_label(label))}) RETURN count(n)"


def count_rels(rel_type: str) -> str:
    return f"MATCH ()-[r:{q(check_rel_type(rel_type))}]->() RETURN count(r)"


def node_dumps() -> list[tuple[str, str, list[str]]]:
    """(statement, label, property names) reading every node, label by label, by id."""
    dumps = []
    for label, node in NODE_TYPES.items():
        props = node.properties
        columns = ", ".join(f"n.`{name}`" for name in props)
        dumps.append((f"MATCH (n:{q(label)}) RETURN {columns} ORDER BY n.id", label, list(props)))
    return dumps


def relationship_dumps(absent: frozenset[tuple[str, str]] = frozenset()) -> list[tuple[str, str, list[str]]]:
    """(statement, type, property names) reading every relationship in a stable order; the
    (type, property) pairs in `absent` are columns an older store does not have."""
    dumps = []
    for rel_type, rel in rel_types().items():
        props = {name: kind for name, kind in rel.properties.items() if (rel_type, name) not in absent}
        names = list(props)
        columns = "".join(f", r.`{name}`" for name in names)
        order = "".join(f", r.`{name}`" for name in names if not props[name].endswith("[]"))
        dumps.append((
            f"MATCH (s)-[r:{q(rel_type)}]->(t) RETURN s.id, t.id{columns} ORDER BY s.id, t.id{order}",
            rel_type,
            names,
        ))
    return dumps


def countries_of(dialect: Dialect) -> str:
    """The countries that entities in $ids are linked to (orphan candidates too)."""
    return "MATCH (n)-[:IN_COUNTRY]->(c:Place) WHERE n.id IN $ids RETURN DISTINCT c.id"


def in_schema_order(name: str, props: dict) -> dict:
    """A returned node's or relationship's properties in the schema's order for its label or
    type (`id` first), others after in name order, so both stores print them alike."""
    if name in NODE_TYPES:
        order = list(NODE_TYPES[name].properties)
    else:
        order = list(rel_types()[name].properties) if name in rel_types() else []
    rank = {key: index for index, key in enumerate(order)}
    return dict(sorted(props.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
