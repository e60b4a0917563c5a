"""Groups named as a pair: "the two leaders", "both countries", "both sides". In a story of
two countries they are the two it is about; otherwise the last two actors of that kind. Whoever
acts on the pair is not one of it: "Qatar will host delegations from both sides"."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Protocol

from pipeline.nlp.gazetteer import capital_of

if TYPE_CHECKING:
    from spacy.tokens import Token

    from models import Entity
    from pipeline.nlp.entities import EntityLayer


class Resolver(Protocol):
    """What a group is read from: the article's entities and their countries."""

    layer: EntityLayer
    entities: dict[str, Entity]

    def country_of(self, found: str) -> str: ...

# Nouns that can name a pair, and the kind of actor each pair is ("ANY": people or countries).
GROUP_WORDS = {"leader": "PERSON", "president": "PERSON", "minister": "PERSON", "side": "ANY",
               "country": "GPE", "nation": "GPE", "government": "GPE", "capital": "GPE",
               "neighbour": "GPE", "neighbor": "GPE", "army": "GPE", "party": "ANY", "delegation": "ANY"}  # fmt: skip
PAIR_WORDS = {"two", "both"}
SUBJECTS = {"nsubj", "nsubjpass"}


def names_a_pair(noun: Token) -> bool:
    """'the two countries', 'both sides'."""
    return any(c.lower_ in PAIR_WORDS for c in noun.children)


def recent_group(resolver: Resolver, token: Token) -> list[str]:
    """'the two leaders' / 'both countries': the last two distinct actors of that kind;
    'both countries' in a story of two countries, the two it is about."""
    definite_plural = token.tag_ == "NNS" and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    if not names_a_pair(token) and token.lower_ != "both" and not definite_plural:
        return []
    kind = GROUP_WORDS[token.lemma_.lower()]
    outside = _clause_actors(resolver, token)
    recent = _last_two(resolver, token, kind, outside)
    if kind == "ANY" and recent and all(resolver.entities[e].type == "PERSON" for e in recent):
        return recent  # "the two sides agreed" after the two ministers met: the ministers
    return (_two_countries(resolver, token, kind, outside) if kind in {"GPE", "ANY"} else []) or recent


def _clause_actors(resolver: Resolver, token: Token) -> set[str]:
    """Who the clause naming the pair is done by, with their countries: 'a Qatari mediator is
    expected to host delegations from both sides' names Qatar, which is neither side."""
    verb = next((a for a in token.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return set()
    arm = next(a for a in (token, *token.ancestors) if a.head == verb)  # the verb's child the pair is in
    if arm.dep_ in SUBJECTS:
        return set()  # "the two leaders will meet": the pair acts (not "Putin's visit", parsed as a second subject)
    subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
    while not subjects and verb.dep_ == "xcomp":
        verb = verb.head  # "… is expected to host": the one expected
        subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
    named = {t.i for s in subjects for t in s.subtree}
    found = {span.entity_id for span in resolver.layer.spans if span.token_start in named}
    return found | {resolver.country_of(e) for e in found}


def _last_two(resolver: Resolver, token: Token, kind: str, outside: set[str]) -> list[str]:
    word = token.lemma_.lower()
    types = {"PERSON"} if kind == "PERSON" else {"GPE"} if kind == "GPE" else {"PERSON", "GPE", "ORG"}
    found: list[str] = []
    for span in reversed(resolver.layer.spans):
        entity = resolver.entities[span.entity_id]
        title = entity.attributes.get("title", "").lower()
        if word in {"minister", "president"} and title and word not in title:
            continue  # "the two ministers" are not President Tokayev, who hosted them
        # a region is no party: "the two warring parties" are the forces, not Darfur
        party = entity.type in types and (entity.type != "GPE" or bool(entity.attributes.get("iso")))
        if span.token_end <= token.i and party and span.entity_id not in outside:
            if span.entity_id not in found:
                found.append(span.entity_id)
            if len(found) == 2:
                return found
    return []


def _two_countries(resolver: Resolver, token: Token, kind: str, outside: set[str]) -> list[str]:
    """'the two countries', 'both governments' in a story of two countries: the two the
    article has named most often so far (by name, nationality, agent or capital), if the
    second is named at least twice; 'both sides' only if it is named three times."""
    counts: Counter[str] = Counter()
    for span in resolver.layer.spans:
        if span.token_end > token.i:
            break
        entity = resolver.entities[span.entity_id]
        iso = entity.attributes.get("country")
        capital = entity.type == "GPE" and iso is not None and capital_of(entity.name) == iso
        if entity.attributes.get("iso") or capital or (entity.type in {"NORP", "AGENT"} and iso):
            if (country := resolver.country_of(span.entity_id)) not in outside:
                counts[country] += 1
    ranked = counts.most_common(3)
    least = 2 if kind == "GPE" else 3
    if len(ranked) >= 2 and ranked[1][1] >= least and (len(ranked) == 2 or ranked[1][1] > ranked[2][1]):
        return [ranked[0][0], ranked[1][0]]
    return []
