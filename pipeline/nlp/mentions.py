"""Mentions: what one entity span says before entities are merged. Spans are trimmed of
determiners and possessives, titles are split off ("President Vladimir Putin"), mislabelled
spans are repaired (outlets typed as GPE, forums as FAC), and the pipeline component
`newsgraph_entity_repair` (see `components`) fixes spans spaCy cut or missed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.nlp.gazetteer import (
    actors,
    actors_file,
    capital_of,
    city_country,
    country_iso,
    demonym_for,
    demonym_iso,
    is_currency_code,
    titles,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Span

_DETERMINERS = ("the ", "The ", "a ", "an ")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
_ARTICLES = ("al-", "el-", "Al-", "El-", "ad-", "as-", "ash-", "an-")


def initials(name: str) -> str:
    """'Rapid Support Forces' -> 'RSF'; 'Democratic Republic of the Congo' -> 'DRC'."""
    return "".join(word[0] for word in name.removeprefix("The ").split() if word[:1].isupper())


def _bare_name(name: str) -> str:
    """One organisation however the text writes it: 'the Rapid Support Forces'' -> 'Rapid Support Forces'."""
    return name.removeprefix("the ").removeprefix("The ").removesuffix("'s").removesuffix("'").strip()


def core(name: str) -> list[str]:
    """A person's name words without a generational suffix ('Ferdinand Marcos Jr.') or an
    Arabic article on the surname ('Asaad al-Shaibani' is referred to as 'Shaibani')."""
    words = name.split()
    if len(words) > 2 and words[-1] in _SUFFIXES:
        words = words[:-1]
    if len(words) > 1 and words[-1].startswith(_ARTICLES):
        words = words[:-1] + [words[-1].split("-", 1)[1]]
    return words


def trim(span: Span) -> tuple[int, int, str] | None:
    """Strip determiners and a possessive from an entity span: (start, end, text)."""
    text, start = span.text, span.start_char
    for det in _DETERMINERS:
        if text.startswith(det):
            text, start = text[len(det) :], start + len(det)
    text = _POSSESSIVE.sub("", text).strip()
    return (start, start + len(text), text) if text else None


def leading_title(words: list[str]) -> int:
    """How many of `words` (from the left) form a title."""
    lowered = [w.casefold() for w in words]
    for title in titles():
        if lowered[: len(title)] == title:
            return len(title)
    return 0


def title_before(span: Span) -> tuple[str | None, str | None, str | None]:
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
        if leading_title(candidate) == len(candidate):
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


def _is_country_word(name: str) -> bool:
    return " " not in name.strip(".") and country_iso(name) is not None


def repair_label(label: str, name: str) -> str | None:
    known = actors()
    folded = name.casefold()
    if folded in known.not_entities or is_currency_code(name):
        return None
    if folded in known.outlets or folded in known.organisations:
        return "ORG"
    words = name.split()
    if label in {"PERSON", "GPE", "LOC"} and len(words) > 1 and {words[0], words[-1]} & known.company_words:
        return "ORG"  # "Koyo Metals", "Minera Altiplano" typed as people
    if name.endswith(known.event_suffixes) and " " in name and label in {"FAC", "ORG", "LOC", "GPE"}:
        return "EVENT"
    if name.endswith(known.law_suffixes) and len(name.split()) > 2 and label in {"ORG", "FAC"}:
        return "LAW"
    if label in {"PERSON", "ORG", "LOC"} and _is_country_word(name):
        return "GPE"
    if label in {"PERSON", "ORG", "FAC"} and (city_country(name) or capital_of(name)):
        return "GPE"  # "Vilnius", "Tbilisi", "Honiara" typed as a person or an organisation
    if label != "NORP" and demonym_iso(name) and not country_iso(name):
        return "NORP"
    if label == "ORG" and len(words) > 2 and demonym_iso(words[0]) and (skip := leading_title(words[1:])):
        rest = words[1 + skip :]
        if rest and all(w[:1].isupper() for w in rest) and not any(w in known.body_heads for w in rest):
            return "PERSON"  # "Kazakh President Kassym-Jomart Tokayev", typed as an organisation
    return label


def org_name(span: Span, name: str) -> str:
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


def is_title_fragment(span: Span, text: str) -> bool:
    """'Agriculture' in 'Agriculture Secretary Brooke Rollins', or an all-lower-case 'new
    coast guard': not an organisation of its own."""
    if not any(word[:1].isupper() for word in text.split()):
        return True
    if text not in actors().portfolios:
        return False
    following = span.doc[span.end : span.end + 3]
    return len(following) > 0 and leading_title([t.text for t in following]) > 0


def listed_names_matcher(nlp: Language) -> PhraseMatcher:
    """A case-sensitive matcher of the outlets and organisations `data/actors.toml` lists."""
    from spacy.matcher import PhraseMatcher

    known = actors_file()
    matcher = PhraseMatcher(nlp.vocab)
    matcher.add("ORG", [nlp.make_doc(name) for name in [*known.outlets, *known.organisations]])
    return matcher


def add_listed_names(doc: Doc, matcher: PhraseMatcher) -> None:
    """A listed organisation is an ORG wherever it is written, over the pieces the NER made of
    it ("Islamic State" read as the NORP "Islamic"), but not inside a longer name the NER found
    ("Ann Wagner" stays a person)."""
    from spacy.tokens import Span as SpacySpan
    from spacy.util import filter_spans

    found = filter_spans([SpacySpan(doc, start, end, label="ORG") for _, start, end in matcher(doc)])
    if not found:
        return
    kept = [e for e in doc.ents if not any(e.start >= f.start and e.end <= f.end for f in found)]
    listed = [f for f in found if not any(e.start < f.end and f.start < e.end for e in kept)]
    if listed:
        doc.ents = sorted(kept + listed, key=lambda span: span.start)


def repair_spans(doc: Doc) -> None:
    """Extend a person's name cut at a particle ('Ursula von' + 'der Leyen'); a country the NER
    typed as a product or a facility ("Cyprus") is the country."""
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
        if span.label_ in {"PRODUCT", "FAC"} and (name := trim(span)) and _is_country_word(name[2]):
            spans[index] = doc[span.start : span.end]
            spans[index].label_ = "GPE"
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
    article, or to a well-known city or a country, becomes a mention; so does an acronym of
    an organisation the article names in full ("RSF" for the Rapid Support Forces)."""
    from spacy.tokens import Span as SpacySpan
    from spacy.util import filter_spans

    surnames: dict[str, set[str]] = {}
    acronyms: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            words = core(ent.text)
            if len(words) > 1:
                surnames.setdefault(words[-1], set()).add(ent.text)
        if ent.label_ == "ORG" and len(letters := initials(ent.text)) > 1:
            acronyms.setdefault(letters, set()).add(_bare_name(ent.text))
    covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    added = []
    for token in doc:
        if token.i in covered:
            continue
        if token.is_upper and token.is_alpha and len(acronyms.get(token.text, ())) == 1:
            added.append(SpacySpan(doc, token.i, token.i + 1, label="ORG"))  # "RSF" after "Rapid Support Forces"
            continue
        if token.pos_ != "PROPN" or not token.is_title:
            continue
        if len(surnames.get(token.text, ())) == 1:
            added.append(SpacySpan(doc, token.i, token.i + 1, label="PERSON"))
        elif token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN":
            continue  # part of a longer name
        elif len(token.text) > 3 and city_country(token.text) or country_iso(token.text):
            added.append(SpacySpan(doc, token.i, token.i + 1, label="GPE"))
    if added:
        doc.ents = filter_spans(list(doc.ents) + added)
