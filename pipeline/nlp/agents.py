"""Descriptive actors ("agents"): "Russian troops", "Sudan's army", "police in Lagos",
"protesters" do and suffer things as much as named actors do. Each becomes an entity of type
AGENT with a sector code (PLOVER/PETRARCH style: MIL, POL, GOV, REB, CVL…) and a country, and a
stable id (`agent:sd-police`), so Sudan's police is one node across articles.

A description that refers back to a named organisation ("the army" after "the Sudanese Armed
Forces", "the ministry") is that organisation, not an agent. Otherwise the country comes from
the phrase itself (an adjective, a possessor, "in/of/from" a place), else from the same kind of
agent named earlier in the article ("the army" after "Sudan's army"), else, for a state's own
institutions (police, government, courts…), from the article's main country. A description
whose country stays unknown ("gunmen killed five villagers") is still an actor, an
unidentified one: its id is scoped to the article (`agent:rebels@<article id>`), so the
gunmen of one story are one node and never merge with another story's. The kinds and their
nouns are data: `data/agents.toml`, read by `pipeline.nlp.agent_kinds`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models import Document, Entity
from pipeline.nlp.agent_kinds import AgentKind, agents_data, kind_of, noun_of
from pipeline.nlp.capitals import add_acting_capitals
from pipeline.nlp.entities import EntityLayer, EntitySpan, extract_entities
from pipeline.nlp.gazetteer import country_name, demonym_for, demonym_iso, slug
from pipeline.nlp.groups import GROUP_WORDS, names_a_pair

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from pipeline.nlp.resolve import Resolver

ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "dative", "conj", "appos", "attr", "oprd", "npadvmod", "ROOT"}
OWNER_DEPS = {"amod", "compound", "nmod", "poss"}
PLACE_PREPS = {"in", "of", "from"}
# Sectors that, named without a country, are most often the article's own country's.
DOMESTIC = {"GOV", "POL", "JUD", "LEG", "OPP", "PTY"}
_PRONOUN_OWNERS = {"its", "their", "his", "her", "our", "my", "your"}


@dataclass
class _Found:
    token: Token
    kind: AgentKind
    iso: str | None  # None: unidentified, this article's own
    start: int  # document character offsets of the phrase
    end: int


def _phrase(token: Token) -> tuple[int, int]:
    """The phrase's left modifiers and its head, without determiners: 'the two Sudanese army units'."""
    left = [c for c in token.lefts if c.dep_ not in {"det", "predet", "punct", "cc"}]
    first = min([token.i] + [t.i for c in left for t in c.subtree])
    return token.doc[first].idx, token.idx + len(token.text)


def _country_in_phrase(token: Token, named: Resolver) -> tuple[str | None, bool]:
    """(ISO code, whether a named actor owns the phrase) from the phrase's modifiers."""

    def entity_of(node: Token) -> Entity | None:
        found = named.entity_at(node)
        return named.entities.get(found) if found else None

    for child in token.children:
        if child.dep_ == "prep" and child.lower_ not in PLACE_PREPS | {"for"}:
            continue
        if child.dep_ == "prep" and child.lower_ == "in" and noun_of(token) in agents_data().settings.posted_abroad:
            continue  # "the embassy in Kabul" is another country's
        if child.dep_ not in OWNER_DEPS | {"prep"}:
            continue
        spans = [child] + ([p for p in child.children if p.dep_ == "pobj"] if child.dep_ == "prep" else [])
        for node in spans:
            entity = entity_of(node)
            if entity is None:
                continue
            if entity.type in {"PERSON", "ORG"}:
                return None, True  # "Hamas fighters", "Putin's troops", "a spokesman for the UN"
            if child.lower_ == "for":
                continue  # "troops for Somalia" are not Somalia's
            iso = entity.attributes.get("iso") or entity.attributes.get("country")
            if iso:
                return iso, False
    for left in token.lefts:
        for node in left.subtree:
            entity = entity_of(node)
            if entity is None:
                continue
            iso = entity.attributes.get("iso") or entity.attributes.get("country")
            if not iso:
                return None, True  # "M23 rebels": the resolver finds M23
            if entity.type in {"NORP", "GPE"}:
                return iso, False  # "a Russian embassy official"
    for child in token.children:
        if child.dep_ in {"amod", "compound"} and child.is_title and (iso := demonym_iso(child.text)):
            return iso, False  # "Malian troops", where the tagger saw no nationality
    return None, False


def _of_a_pair(token: Token) -> bool:
    """'negotiators from the two countries', 'representatives of both sides' (not 'people,
    including two lawmakers')."""
    pairs = [o for p in token.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    return any(o.lemma_.lower() in GROUP_WORDS and names_a_pair(o) for o in pairs)


def _main_country(layer: EntityLayer) -> str | None:
    counts: Counter[str] = Counter()
    # a country's nationality words are its mentions too, but only its name counts here
    demonyms = {(m.field, m.start) for e in layer.entities if e.type == "NORP" for m in e.mentions}
    for entity in layer.entities:
        iso = entity.attributes.get("iso") or (entity.attributes.get("country") if entity.type == "GPE" else None)
        if iso:
            counts[iso] += sum((m.field, m.start) not in demonyms for m in entity.mentions)
    ranked = counts.most_common(2)
    floor = agents_data().settings.main_country_min_mentions
    if ranked and ranked[0][1] >= floor and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    return None


def entity_layer(document: Document, doc: Doc) -> EntityLayer:
    """The article's named entities and its agents: what extraction and training both read."""
    layer = find_agents(document, doc, extract_entities(document, doc))
    add_acting_capitals(document, doc, layer)
    return layer


def find_agents(document: Document, doc: Doc, layer: EntityLayer) -> EntityLayer:
    """`layer` with the article's agents added, their mentions and token spans."""
    from pipeline.nlp.resolve import Resolver

    found: list[_Found] = []
    main = _main_country(layer)
    named = Resolver(layer)
    last_of_kind: dict[str, str | None] = {}
    owned_kinds: set[str] = set()
    for token in doc:
        if token.pos_ not in {"NOUN", "PROPN"} or token.dep_ not in ARGUMENT_DEPS or layer.at_token(token.i):
            continue
        if (kind := kind_of(token)) is None:
            continue
        pair = token.tag_ == "NNS" and names_a_pair(token)
        if pair and GROUP_WORDS.get(token.lemma_.lower()) in {"PERSON", "GPE"}:
            continue  # "both ministers", "the two governments": the resolver finds the pair named
        if _of_a_pair(token):
            continue  # "negotiators from the two countries": the resolver finds the pair
        iso, owned = _country_in_phrase(token, named)
        if owned:
            owned_kinds.add(kind.name)
            continue
        if iso is None and kind.name in owned_kinds and kind.name not in last_of_kind:
            continue  # "the rebels" after "M23 rebels": the resolver finds M23
        if iso is None and any(c.dep_ == "poss" and c.lower_ in _PRONOUN_OWNERS for c in token.children):
            continue  # "its troops": the resolver finds the owner
        if iso is None and named.refers_to_named(token):
            continue  # "the army" after "the Sudanese Armed Forces": that organisation
        if iso is None and token.tag_ == "NNS" and token.lemma_.lower() in agents_data().settings.one_per_country:
            continue  # "governments pledged": several countries, none in particular
        if iso is None:
            iso = last_of_kind.get(kind.name) or (main if kind.sector in DOMESTIC else None)
        if iso is not None:
            if noun_of(token) not in agents_data().settings.posted_abroad:
                last_of_kind[kind.name] = iso  # "China's embassy in Honiara" makes no later "government" China's
        elif _names_no_one(token):
            continue
        start, end = _phrase(token)
        found.append(_Found(token, kind, iso, start, end))
    if not found:
        return layer
    return _with_agents(document, layer, found)


def _names_no_one(token: Token) -> bool:
    """Whether a description without a country stays no one: a thing or an institution ("the
    vessel", "companies"), or what a verb moves or takes in ("sent troops", "accepted refugees")."""
    settings = agents_data().settings
    if noun_of(token) in settings.need_a_country:
        return True
    return token.dep_ == "dobj" and token.head.lemma_.lower() in settings.moved_by


def agent_id(kind: AgentKind, iso: str | None, article_id: str) -> str:
    """`agent:sd-police` for a country's; `agent:police@<article id>` for an unidentified one."""
    if iso is None:
        return f"agent:{slug(kind.name)}@{article_id}"
    return f"agent:{iso.lower()}-{slug(kind.name)}"


def _with_agents(document: Document, layer: EntityLayer, found: list[_Found]) -> EntityLayer:
    entities = {e.id: e for e in layer.entities}
    spans = list(layer.spans)
    for agent in found:
        eid = agent_id(agent.kind, agent.iso, document.article.id)
        mention = document.mention(agent.start, agent.end)
        if eid not in entities:
            attributes: dict[str, str] = {"sector": agent.kind.sector}
            if agent.iso is None:
                name = f"unidentified {agent.kind.name}"
            else:
                adjective = demonym_for(agent.iso)
                name = f"{adjective} {agent.kind.name}" if adjective else f"{agent.kind.name} of {country_name(agent.iso)}"
                attributes["country"] = agent.iso
            entities[eid] = Entity(id=eid, name=name, type="AGENT", attributes=attributes)
        entities[eid].mentions.append(mention)
        spans.append(EntitySpan(agent.start, agent.end, eid, agent.token.i, agent.token.i + 1))
    for entity in entities.values():
        if entity.type == "AGENT":
            entity.aliases = sorted({m.text for m in entity.mentions} - {entity.name})
    spans.sort(key=lambda s: s.start)
    return EntityLayer(sorted(entities.values(), key=lambda e: e.id), spans)


def without_idle_agents(entities: list[Entity], used: set[str]) -> list[Entity]:
    """Agents are kept only where they take part in something: an event, a figure, a quote."""
    return [e for e in entities if e.type != "AGENT" or e.id in used]
