"""Which entity a token stands for: its own entity, a nationality word standing for its
country, a pronoun resolved to the last salient actor, or "the two leaders"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.nlp.agent_kinds import agents_data, kind_of
from pipeline.nlp.capitals import capital_country
from pipeline.nlp.entities import EntityLayer
from pipeline.nlp.gazetteer import actors_file, entity_id
from pipeline.nlp.groups import GROUP_WORDS, recent_group
from pipeline.nlp.model import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Token

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
THING_PRONOUNS = {"it", "its"}
PLURAL_PRONOUNS = {"they", "them", "their"}
SPEAKER_PRONOUNS = {"we", "us", "our", "i", "me", "my"}
SPEECH_VERBS = {"say", "tell", "add", "state", "note", "stress", "insist", "declare", "announce", "warn"}
REPORTING_VERBS = SPEECH_VERBS | {"claim", "confirm", "report", "vow", "pledge", "promise", "threaten", "deny",
                                   "admit", "acknowledge", "signal", "indicate", "reiterate"}  # fmt: skip
ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP", "AGENT"}
TITLE_NOUNS = {"secretary", "minister", "spokesman", "spokeswoman", "spokesperson", "president",
               "envoy", "ambassador", "chief", "chancellor", "premier", "leader", "general", "commander"}  # fmt: skip
REPRESENTATIVES = {"representative", "member", "official", "delegation", "envoy", "negotiator", "delegate"}
FOLLOWERS = {"supporter", "follower", "loyalist", "backer", "partisan"}  # "supporters of Ben Bella": his side
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# "imports of Turkish poultry", "exports of Russian oil": goods stand for their country
GOODS_NOUNS = {"import", "export", "shipment", "product", "good", "sale", "supply"}  # lemmas


class Resolver:
    """`commanders`: "its troops", "his army" stand for whoever commands them. Roles are read
    with it; the classifier's candidates are not (it was trained on the plain reading, and
    retrained on this one it guessed more false events on the read sets)."""

    def __init__(self, layer: EntityLayer, *, commanders: bool = False):
        self.layer = layer
        self.entities = layer.by_id()
        self.commanders = commanders

    def entity_at(self, token: Token) -> str | None:
        return self.layer.at_token(token.i)

    def country_of(self, found: str) -> str:
        """The country an entity belongs to (itself for a country)."""
        entity = self.entities.get(found)
        if entity is None:
            return found
        iso = entity.attributes.get("iso") or entity.attributes.get("country")
        return entity_id("GPE", "", iso) if iso else found

    def as_country(self, found: str) -> str:
        """A nationality word stands for its country."""
        entity = self.entities.get(found)
        if entity is not None and entity.type == "NORP" and "country" in entity.attributes:
            return entity_id("GPE", "", entity.attributes["country"])
        if entity is not None and entity.type == "NORP" and "place" in entity.attributes:
            return entity.attributes["place"]  # "Transnistrian officers": Transnistria
        return found

    def resolve(self, token: Token) -> list[str]:
        """Entities that a noun-phrase head stands for (several for "X and Y")."""
        found = self._resolve_one(token)
        ids = [found] if found else []
        # "Chile's foreign minister, Ignacia Rojas, and Argentina's Martín Ferraro": the parser
        # hangs the second actor on the apposition
        appositions = [c for c in token.children if c.dep_ == "appos"]
        for conj in (c for head in [token, *appositions] for c in head.conjuncts):
            if conj.i > token.i and (other := self._resolve_one(conj)):
                ids.append(other)
        others = [self.as_country(e) for m in token.children if m.dep_ in {"amod", "compound"}
                  for c in m.conjuncts if (e := self.entity_at(c)) and self.entities[e].type in {"NORP", "GPE"}]  # fmt: skip
        ids += others  # "Pakistani and Afghan border forces"
        agents = [i for i in ids if i in self.entities and self.entities[i].type == "AGENT"]
        if agents and any(self.as_country(i).startswith("country:") for i in ids):  # "Kyrgyz and Tajik border guards": alike
            ids = [self.country_of(i) for i in ids]
        if not ids and token.lemma_.lower() in GROUP_WORDS:
            ids = recent_group(self, token)
        if not ids and token.pos_ in {"NOUN", "PROPN"}:
            ids = self._through_prepositions(token)
        if not ids and token.pos_ == "NUM" and token.ent_type_ not in {"MONEY", "PERCENT", "QUANTITY"}:
            # "300 of his supporters", "two of its soldiers"; not "$2 billion of U.S. corn"
            ids = [e for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
                   for o in p.children if o.dep_ == "pobj" and o.tag_ in {"NNS", "NNPS"} for e in self.resolve(o)]  # fmt: skip
        return [self.as_country(i) for i in dict.fromkeys(ids)]

    def _resolve_one(self, token: Token) -> str | None:
        for child in token.children:  # "spokeswoman Mao Ning": the person, not the title
            if child.dep_ in {"appos", "compound"} and (found := self.entity_at(child)) and self.entities[found].type == "PERSON":
                if child.dep_ == "appos" or token.lower_ in TITLE_NOUNS:
                    return found
        if found := self.entity_at(token):
            if (country := capital_country(token, self.entities[found], self.entities)) is not None:
                return country
            if self.entities[found].type in ACTOR_TYPES:
                return found
            # "the EU's Carbon Border Adjustment Mechanism": the actor behind the thing
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            if owner is None:
                span = next(s for s in self.layer.spans if s.token_start <= token.i < s.token_end)
                before = token.doc[span.token_start - 1] if span.token_start > 1 else None
                owner = before.head if before is not None and before.tag_ == "POS" else None
            return self.entity_at(owner) if owner is not None else None
        lower = token.lower_
        if token.pos_ == "PRON" and lower in PERSON_PRONOUNS:
            return self._reporter(token, {"PERSON"}) or self._salient(token, {"PERSON"})
        if token.pos_ == "PRON" and lower in THING_PRONOUNS:
            return self._reporter(token, {"GPE", "ORG", "AGENT"}) or self._salient(token, {"GPE", "ORG"}, subjects_only=True)
        if token.pos_ == "PRON" and lower in PLURAL_PRONOUNS:
            return self._reporter(token, {"GPE", "ORG", "AGENT", "NORP"}) or self._salient(
                token, {"GPE", "ORG", "AGENT", "NORP"}, subjects_only=True)
        if token.pos_ == "PRON" and lower in SPEAKER_PRONOUNS:
            return self._speaker(token)
        if token.pos_ in {"NOUN", "PROPN"}:
            for child in token.children:
                if child.dep_ in {"compound", "amod", "poss", "nmod"} and (found := self.entity_at(child)):
                    entity = self.entities.get(found)
                    if entity is not None and entity.type in {"NORP", "GPE", "ORG"}:
                        return found
                    if entity is not None and entity.type == "PERSON" and child.dep_ == "poss":
                        return found  # "welcomed Macron's proposal": Macron
            kind = kind_of(token) if self.commanders else None
            commanded = kind is not None and kind.sector in agents_data().settings.commanded_by_owner
            if token.lemma_.lower() in FOLLOWERS or commanded:  # "his supporters", "its troops": whoever owns them
                owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
                if owner is not None and (found := self._resolve_one(owner)) is not None:
                    entity = self.entities.get(found)
                    return self.country_of(found) if commanded and entity is not None and entity.type == "PERSON" else found
            if any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
                return self._definite(token)
        return None

    def _speaker(self, token: Token) -> str | None:
        """'"We have sent two vessels," said the minister': whoever says the clause; a person
        speaking for a country ("Costa Rica's migration director") speaks for it."""
        node = token
        for ancestor in token.ancestors:
            if ancestor.lemma_.lower() in SPEECH_VERBS and node.dep_ in {"ccomp", "parataxis", "xcomp"}:
                for child in ancestor.children:
                    if child.dep_ == "nsubj" and child.i != token.i and (found := self._resolve_one(child)):
                        entity = self.entities.get(found)
                        return self.country_of(found) if entity is not None and entity.type == "PERSON" else found
                return None
            node = ancestor
        return None

    def _reporter(self, token: Token, types: set[str]) -> str | None:
        """'The army said it had killed dozens': the subject pronoun of what a speaker says is
        the speaker, when the speaker is of a kind the pronoun can stand for."""
        clause = token.head
        if token.dep_ not in SUBJECT_DEPS or clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in REPORTING_VERBS:
            return None
        for child in clause.head.children:
            if child.dep_ == "nsubj" and (found := self._resolve_one(child)):
                entity = self.entities.get(found)
                return found if entity is not None and entity.type in types else None
        return None

    def refers_to_named(self, token: Token) -> bool:
        """Whether a definite description ("the army", "the ministry") stands for an
        organisation named earlier in the article."""
        return any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) and self._definite(token) is not None

    def _through_prepositions(self, token: Token) -> list[str]:
        """'countries …, including South Korea', 'companies in China', 'representatives of
        the two warring parties', 'militants from Islamic State': the actors a common noun is
        anchored to."""
        found: list[str] = []
        lemma = token.lemma_.lower()
        for prep in token.children:
            if prep.dep_ != "prep":
                continue
            word = prep.lower_
            anchors = [p for p in prep.children if p.dep_ == "pobj"]
            # "a spokesman for the UN"; "officials from the World Bank", whatever it is
            speaks_for = (word in {"of", "for"} and lemma in REPRESENTATIVES | TITLE_NOUNS | FOLLOWERS) or (
                word == "from" and lemma in REPRESENTATIVES
            )
            goods = word == "of" and lemma in GOODS_NOUNS
            armed = word in {"from", "of"} and _armed(token)  # "fighters of Hamas", "militants from Islamic State"
            if word in {"including", "like"} or speaks_for or goods or armed:
                found += [e for p in anchors for e in self.resolve(p)]
            elif word in {"in", "from", "based"}:
                found += [e for p in anchors for e in self.resolve(p) if self.entities[e].type == "GPE" or e.startswith("country:")]
        return found

    def _definite(self, token: Token) -> str | None:
        """'the bloc', 'the fund', 'the trade ministry': the last organisation named so."""
        head = token.lemma_.lower()
        aliases = _definite_aliases().get(head)
        modifiers = {c.lower_ for c in token.children if c.dep_ in {"compound", "amod"}}
        for span in reversed(self.layer.spans):
            if span.token_end > token.i:
                continue
            entity = self.entities[span.entity_id]
            if entity.type != "ORG":
                continue
            words = {w.lower().strip(",") for w in entity.name.split()}
            if aliases is not None and any(fragment in entity.name for fragment in aliases):
                return entity.id
            if aliases is None and head in words and modifiers <= words and len(head) > 3:
                return entity.id
        return None

    def _salient(self, token: Token, types: set[str], subjects_only: bool = False) -> str | None:
        """The last actor of those types before `token`, preferring one that was the
        subject of its clause within the last two sentences ("He" after "O'Brien visited
        Tbilisi and met Kobakhidze" is O'Brien)."""
        doc = token.doc
        window_start = sentence_of(token).start
        previous = sentence_of(doc[sentence_of(token).start - 1]) if sentence_of(token).start > 0 else None
        if previous is not None:
            window_start = previous.start
        fallback = None
        for span in reversed(self.layer.spans):
            if span.token_end > token.i or self.entities[span.entity_id].type not in types:
                continue
            head = doc[span.token_end - 1]
            if head.dep_ in {"compound", "poss", "amod", "nmod"} and _armed(head.head):
                head = head.head  # "Taliban fighters stormed …. They killed …": the group's fighters
            if span.token_start >= sentence_of(token).start and not subjects_only:
                return span.entity_id  # "Sharif's call …, during which he asked"
            if span.token_start >= window_start and head.dep_ in SUBJECT_DEPS:
                return span.entity_id
            if fallback is None:
                fallback = span.entity_id
        return None if subjects_only else fallback


def _definite_aliases() -> dict[str, list[str]]:
    """Common nouns that stand for a known organisation: 'the bloc' for the European Union."""
    return actors_file().definite_nouns


def _armed(noun: Token) -> bool:
    """Whether a noun names armed men (fighters, troops, police), whom a group's name can own."""
    kind = kind_of(noun)
    return kind is not None and kind.sector in {"REB", "MIL", "POL"}
