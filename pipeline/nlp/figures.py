"""Figures: percentages, money and counts, with what they measure.

Amounts are parsed by price-parser; scale words ("billion"), currency spellings and the
words that give a direction ("fell", "an increase of") come from `data/figures.toml`.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from models import Document, Figure
from pipeline.nlp import dates
from pipeline.nlp.amounts import ambiguous_currency, currency_code, figures_data, number, parse_money
from pipeline.nlp.entities import EntityLayer
from pipeline.nlp.model import sentence_ents
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

_PERCENT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:%|per ?cent|percent)", re.I)
_METRIC_SKIP_DEPS = {"det", "poss", "case", "prep", "punct", "nummod", "quantmod", "cc", "conj", "appos", "relcl", "acl"}


def _extend_money(ent: SpacySpan) -> SpacySpan:
    """'333.576 trillion' followed by 'KRW' or 'yuan' is one amount."""
    doc = ent.doc
    end = ent.end
    while end < len(doc) and (currency_code(doc[end].text) or doc[end].lower_ in figures_data()["scales"]):
        end += 1
    return doc[ent.start : end]


def _direction(anchor: Token) -> str | None:
    directions = figures_data()["directions"]
    node = anchor
    for _ in range(4):
        lemma = node.lemma_.lower()
        if lemma in directions and node.i != anchor.i:
            return directions[lemma]
        for child in node.children:
            if child.dep_ in {"advmod", "prt"} and child.lower_ in {"up", "down"} and child.i < anchor.i + 2:
                return directions[child.lower_]
        if node.head.i == node.i:
            break
        node = node.head
        if node.lemma_.lower() == "reach":
            return None
    return None


def _is_change(anchor: Token, kind: str) -> bool:
    """A percentage is a change; an amount is one only when it says by how much ('fell by
    $2 billion', 'up $3 billion'), not when it gives a level ('fell to $21.5 billion')."""
    if kind == "percent":
        return True
    node = anchor
    while node.dep_ in {"compound", "nummod", "quantmod"} and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pobj":
        return node.head.lower_ == "by"
    return node.dep_ in {"dobj", "npadvmod"} and node.head.lemma_.lower() in figures_data()["directions"]


def _governing_verb(token: Token) -> Token | None:
    node = token
    for _ in range(5):
        if node.pos_ in {"VERB", "AUX"}:
            return node
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _subject_phrase(verb: Token | None, anchor: Token) -> Token | None:
    if verb is None:
        return None
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    if verb.dep_ == "advcl" and verb.tag_ in {"VBG", "VBN"}:
        # "..., with Russia's total imports decreasing by 18%": what changes is the object of "with"
        for prep in verb.head.children:
            if prep.dep_ == "prep" and prep.lower_ == "with" and prep.i < verb.i:
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0]
    if verb.dep_ in {"conj", "advcl", "xcomp"}:
        return _subject_phrase(verb.head, anchor)
    return None


def _metric(noun: Token | None, layer: EntityLayer) -> str | None:
    if noun is None or noun.pos_ not in {"NOUN", "PROPN"} or layer.at_token(noun.i):
        return None
    words = [
        child for child in noun.children
        if child.dep_ in {"compound", "amod"} and child.i < noun.i and not layer.at_token(child.i)
        and child.pos_ in {"NOUN", "ADJ", "PROPN"}
    ]  # fmt: skip
    words = [w for w in words if w.lower_ not in {"sharp", "steady", "record", "new", "recent"}]
    return " ".join(t.lower_ for t in sorted(words + [noun], key=lambda t: t.i))


def _basis(sentence: str) -> str | None:
    for name, patterns in figures_data()["bases"].items():
        if any(p.search(sentence) for p in patterns):
            return name
    return None


def _period(sentence, anchor: Token, published) -> str | None:
    verb = _governing_verb(anchor)
    candidates = [e for e in sentence_ents(sentence) if e.label_ == "DATE"]
    if verb is not None:
        inside = [e for e in candidates if any(verb.i == a.i for t in e for a in t.ancestors)]
        candidates = inside or candidates
    for ent in sorted(candidates, key=lambda e: abs(e.start - anchor.i)):
        if resolved := dates.resolve(ent.text, published):
            return resolved
    return None


def extract_figures(document: Document, doc: Doc, layer: EntityLayer) -> list[Figure]:
    """Every percentage, amount of money and count in the document; a headline figure that
    the body repeats is counted once, at the body."""
    figures = _all_figures(document, doc, layer)
    in_body = {(f.value, f.unit) for f in figures if f.span.field == "text"}
    return [f for f in figures if f.span.field == "text" or (f.value, f.unit) not in in_body]


def _all_figures(document: Document, doc: Doc, layer: EntityLayer) -> list[Figure]:
    resolver = Resolver(layer)
    published = document.article.published_date
    countries = {e.attributes["iso"] for e in layer.entities if e.attributes.get("iso")}
    figures: list[Figure] = []
    for sentence in doc.sents:
        for ent in sentence_ents(sentence):
            parsed = _parse(ent, countries)
            if parsed is None:
                continue
            span, value, unit, kind = parsed
            anchor = span.root
            verb = _governing_verb(anchor)
            subject = _subject_phrase(verb, anchor)
            # A count measures its own noun ("300 troops"); anything else measures the
            # subject of its clause ("China's exports ... decreased by 16%").
            metric_head = anchor.head if kind == "count" else subject
            figures.append(_build(document, sentence, span, value, unit, kind,
                direction=_direction(anchor) if _is_change(anchor, kind) else None,
                metric=unit if kind == "count" else _metric(metric_head, layer),
                entity_ids=_concerned(metric_head, resolver),
                basis=_basis(sentence.text) if kind == "percent" else None,
                period=_period(sentence, anchor, published),
            ))  # fmt: skip
    return figures


def _concerned(head: Token | None, resolver: Resolver) -> list[str]:
    """Entities named inside the measured phrase: "China's exports to Russia" -> CN, RU."""
    if head is None:
        return []
    found: list[str] = []
    for token in head.subtree:
        if token is head or token.dep_ in {"poss", "pobj", "compound", "amod", "nsubj"}:
            found += resolver.resolve(token)
    return list(dict.fromkeys(found))


def _parse(ent: SpacySpan, countries: set[str]) -> tuple[SpacySpan, float, str, str] | None:
    if ent.label_ == "PERCENT":
        match = _PERCENT.search(ent.text)
        if match is None:
            return None
        return ent, float(match.group(1).replace(",", "")), "percent", "percent"
    if ent.label_ == "MONEY":
        span = _extend_money(ent)
        parsed = parse_money(span.text)
        if parsed is None and span.end < len(span.doc):
            after = span.doc[span.end]
            pair = f"{after.text} {span.doc[span.end + 1].text}" if span.end + 1 < len(span.doc) else ""
            code = ambiguous_currency(pair, countries) or ambiguous_currency(after.text, countries)
            amount = number(span.text)
            if code and amount is not None:
                return span.doc[span.start : span.end + (2 if ambiguous_currency(pair, countries) else 1)], amount, code, "money"
        if parsed is None:
            return None
        return span, parsed[0], parsed[1], "money"
    if ent.label_ in {"CARDINAL", "QUANTITY"}:
        root = ent.root
        if ent.label_ == "QUANTITY" and root.pos_ == "NOUN":
            noun, number_text = root, ent.doc[ent.start : root.i].text  # "about 1.8 million barrels"
        elif root.dep_ == "nummod":
            noun, number_text = root.head, ent.text
        else:
            return None
        if noun.pos_ != "NOUN" or noun.lemma_.lower() in figures_data()["not_units"]:
            return None
        if any(c.dep_ in {"det", "poss"} for c in noun.children) or ent.doc[ent.end - 1].nbor(1).text == "-":
            return None  # "the two parties", "a nine-storey building": not a count
        amount = number(number_text)
        if amount is None:
            return None
        before = ent.doc[noun.i - 1].text if noun.i > 0 else ""
        currency = (ambiguous_currency(f"{before} {noun.text}", countries) or currency_code(noun.text)
                    or ambiguous_currency(noun.text, countries))  # fmt: skip
        if currency:  # "1.3 billion euros", "1.2 billion pesos", "1,100 CFA francs"
            return ent.doc[ent.start : noun.i + 1], amount, currency, "money"
        unit = noun.lower_
        per = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "per"), None)
        if per is not None:  # "1.8 million barrels per day"
            unit += " per " + " ".join(t.lower_ for t in per.children if t.dep_ == "pobj")
            return noun.doc[ent.start : max(t.i for t in per.subtree) + 1], amount, unit, "count"
        if ent.label_ == "QUANTITY":
            return ent, amount, unit, "count"
        return ent, amount, unit, "count"
    return None


def _build(document: Document, sentence, span: SpacySpan, value: float, unit: str, kind: str, **facts) -> Figure:
    located = document.span(span.start_char, span.end_char)
    key = f"{document.article.id}|{located.field}|{located.start}|{located.end}"
    return Figure(
        id="fig:" + hashlib.sha1(key.encode()).hexdigest()[:16],
        value=value, unit=unit, kind=kind,  # type: ignore[arg-type]
        span=located,
        sentence=document.span(sentence.start_char, sentence.end_char),
        **facts,
    )
