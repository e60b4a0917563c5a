"""A capital that acts stands for its country's government: "Beijing criticised the talks",
"condemned by Moscow", "Moscow's response", "accused Helsinki of piracy". "Brussels" acting is
the European Union where the article names it. Where a capital is a place ("visited Moscow",
"Kyiv was shelled", "met in Beijing") it stays the city. The verbs that address a capital as an
actor, and the bodies a capital can stand for, are data in `data/actors.toml`."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from models import Document, Entity
from pipeline.nlp.entities import EntityLayer, add_mentions
from pipeline.nlp.gazetteer import actors, capital_of, entity_id

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def capital_country(token: Token, entity: Entity, known: Container[str]) -> str | None:
    """The id of the country `entity`, a capital, stands for at `token`, or of the body seated
    there if `known` holds it ("Brussels" for the European Union); None where it is a place."""
    iso = entity.attributes.get("country")
    if entity.type != "GPE" or iso is None or capital_of(entity.name) != iso:
        return None
    node = token
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head  # "Washington and Beijing agreed"
    head = node.head
    acting = (
        node.dep_ == "nsubj" and head.pos_ in {"VERB", "AUX"}
        or node.dep_ == "poss"
        or node.dep_ == "pobj" and head.dep_ == "agent"
        or node.dep_ == "dobj" and head.lemma_.lower() in actors().capital_addressed_by
    )
    if not acting:
        return None
    body = actors().capitals_standing_for.get(entity.name)
    if body is not None and (seated := entity_id("ORG", body)) in known:
        return seated
    return entity_id("GPE", "", iso)


def add_acting_capitals(document: Document, doc: Doc, layer: EntityLayer) -> None:
    """Give each country the mentions of its capital acting for it, so that an event of the
    country is traced to the word that named it ("Berlin rejected …")."""
    entities = layer.by_id()
    for span in layer.spans:
        entity = entities.get(span.entity_id)
        if entity is None or entity.type != "GPE":
            continue
        tokens = doc[span.token_start : span.token_end]
        country = capital_country(tokens.root, entity, entities)
        if country is None or country not in entities:
            continue
        add_mentions(entities[country], [document.mention(span.start, span.end)])
