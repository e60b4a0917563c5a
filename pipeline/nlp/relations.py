"""Relations: actor-to-actor projections of events, roles and affiliations,
attribution (which outlets the article cites) and quotations (speaker, text)."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Annotated

from pydantic import StringConstraints

from models import ACTOR_TYPES, Document, Entity, Event, Quote, Relation
from pipeline.data_files import DataFile, load_data
from pipeline.nlp.entities import EntityLayer
from pipeline.nlp.gazetteer import entity_id
from pipeline.nlp.model import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

SPEECH_VERBS = {"say", "add", "tell", "state", "note", "report", "explain", "write", "announce", "warn", "claim", "argue", "stress"}
ATTRIBUTION_VERBS = {"report", "cite", "say", "add", "according"}
_QUOTE = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")


class RelationsFile(DataFile):
    # "PLOVER_TYPE" or "PLOVER_TYPE/mode" -> relationship type; these names become
    # relationship types of the graph schema, so each must be an upper-case identifier.
    projection: dict[str, Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z_]*$")]]


@functools.cache
def projection_types() -> dict[str, str]:
    """PLOVER type or type/mode -> actor relationship type (`data/relations.toml`)."""
    return load_data("relations.toml", RelationsFile).projection


def projection_for(event_type: str, mode: str | None) -> str | None:
    table = projection_types()
    return table.get(f"{event_type}/{mode}") or table.get(event_type)


def project_events(events: list[Event], entities: dict[str, Entity]) -> list[Relation]:
    """(source)-[:VISITED|MET|…]->(target) for every event with both, carrying the event id."""
    relations = []
    for event in events:
        rel_type = projection_for(event.type, event.mode)
        if rel_type is None or event.status == "negated":
            continue
        sources = [p.entity_id for p in event.participants if p.role == "source"]
        targets = [p.entity_id for p in event.participants if p.role == "target"]
        for source in sources:
            for target in targets:
                if not (_is_actor(entities, source) and _is_actor(entities, target)):
                    continue
                relations.append(Relation(
                    type=rel_type, source_id=source, target_id=target, event_id=event.id,
                    date=event.date, sentence=event.sentence,
                    attributes={"event_type": event.type, "status": event.status}
                    | ({"mode": event.mode} if event.mode else {}),  # no mode: no property, as on the Event
                ))  # fmt: skip
    return relations


def _is_actor(entities: dict[str, Entity], entity_id_: str) -> bool:
    entity = entities.get(entity_id_)
    return entity is not None and entity.type in ACTOR_TYPES


def affiliations(document: Document, doc: Doc, layer: EntityLayer) -> list[Relation]:
    """Roles from titles and appositions: Janet Yellen, Treasury Secretary of the United States;
    Alexander Isakov, economist at Bloomberg Economics."""
    entities = layer.by_id()
    relations: list[Relation] = []
    seen: set[tuple[str, str, str]] = set()

    def add(person: str, other: str, role: str, sentence) -> None:
        if (person, other, role) in seen or person == other:
            return
        seen.add((person, other, role))
        relations.append(Relation(
            type="AFFILIATED_WITH", source_id=person, target_id=other,
            attributes={"role": role}, sentence=document.span(sentence.start_char, sentence.end_char),
        ))  # fmt: skip

    for span in layer.spans:
        entity = entities[span.entity_id]
        if entity.type != "PERSON":
            continue
        token = doc[span.token_end - 1]
        title = entity.attributes.get("title")
        if title and (iso := entity.attributes.get("country")):
            add(entity.id, entity_id("GPE", "", iso), title, sentence_of(token))
        for child in token.children:
            if child.dep_ != "appos" or child.pos_ != "NOUN":
                continue
            role = " ".join(t.text if t.pos_ == "PROPN" else t.lower_  # "a Russia economist": Russia stays a name
                            for t in child.subtree if t.i <= child.i and t.dep_ in {"compound", "amod"} or t.i == child.i)
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in {"at", "of", "for", "with"}:
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj" and (other := layer.at_token(pobj.i)):
                            if entities[other].type in {"ORG", "GPE"}:
                                add(entity.id, other, role, sentence_of(token))
    return relations


def attribution(document: Document, doc: Doc, layer: EntityLayer) -> tuple[list[str], list[Quote]]:
    """Organisations the article cites as sources, and quotations with their speakers."""
    entities = layer.by_id()
    citations: list[str] = []
    quotes: list[Quote] = []
    for span in layer.spans:
        if entities[span.entity_id].type != "ORG":
            continue
        token = doc[span.token_end - 1]
        head = token.head
        if (token.dep_ == "nsubj" and head.lemma_.lower() in ATTRIBUTION_VERBS) or (
            token.dep_ == "pobj" and head.head.lower_ == "according"
        ) or (token.dep_ == "dobj" and head.lemma_.lower() == "cite"):
            citations.append(span.entity_id)
    given_back = -1
    for sentence in doc.sents:
        first, last = sentence.start_char, sentence.end_char
        if first == given_back:
            first += 1  # the closing quote mark the sentence before took back
        if doc.text[last : last + 1] in {'"', "”"}:
            given_back, last = last, last + 1  # spaCy ends a sentence at '."', before the mark
        for match in _QUOTE.finditer(doc.text[first:last]):
            speaker = _speaker(sentence, layer, entities)
            quotes.append(Quote(speaker_id=speaker, text=document.span(first + match.start(1), first + match.end(1))))
    return citations, quotes


def _speaker(sentence, layer: EntityLayer, entities: dict[str, Entity]) -> str | None:
    for token in sentence:
        if token.lemma_.lower() in SPEECH_VERBS and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ == "nsubj" and (found := layer.at_token(child.i)):
                    if entities[found].type in {"PERSON", "ORG"}:
                        return found
    return None
