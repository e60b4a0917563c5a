"""The event lexicon, `data/events.toml` (its schema is `rules_file.py`): trigger rules indexed by
lemma, and the tests a token must pass for a rule to fire.

`rule_for(token)` is the rule a token fires, if any. The rules are the lexicon's prior: the
classifier reads them as features, and the argument rules take their prepositions and roles.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.data_files import load_data
from pipeline.nlp import dates
from pipeline.nlp.events.rules_file import EventsFile, TriggerRule, WordsTable

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "attr", "oprd"}


@dataclass(frozen=True)
class Lexicon:
    data: EventsFile
    triggers: dict[str, list[TriggerRule]]
    aid_objects: frozenset[str]
    defaults: dict[str, TriggerRule]

    @property
    def words(self) -> WordsTable:
        return self.data.words

    def first(self, event_type: str) -> TriggerRule:
        """The type's first rule that needs no condition of its own: the rule a generic trigger
        of that type ("launched" drones, "moved" troops) takes."""
        return next(r for rules in self.triggers.values() for r in rules
                    if r.type == event_type and not r.requires and not r.with_words)  # fmt: skip

    def rule_of_type(self, token: Token, event_type: str) -> TriggerRule:
        """The token's own rule when it is of that type, else the type's default rule."""
        rule = rule_for(token)
        if rule is not None and rule.type == event_type:
            return rule
        return self.default(event_type)

    def default(self, event_type: str) -> TriggerRule:
        return self.defaults[event_type]


@functools.cache
def lexicon() -> Lexicon:
    data = load_data("events.toml", EventsFile)
    index: dict[str, list[TriggerRule]] = {}
    for rule in data.trigger:
        for lemma in rule.lemmas:
            index.setdefault(lemma, []).append(rule)
    defaults = {
        event_type: TriggerRule(lemmas=(), pos=("VERB", "NOUN"), type=event_type, mode=None, **spec.model_dump())
        for event_type, spec in data.defaults.items()
    }
    return Lexicon(data=data, triggers=index, aid_objects=frozenset(data.aid_objects.lemmas), defaults=defaults)


def heads_of(token: Token, deps: set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def rule_for(token: Token) -> TriggerRule | None:
    """The trigger rule a token fires, if any (memoised per document: helpers ask often)."""
    cache = token.doc._.newsgraph_rules
    if cache is None:
        cache = token.doc._.newsgraph_rules = {}
    if token.i not in cache:
        cache[token.i] = _find_rule(token)
    return cache[token.i]


def _has_object(token: Token, words: frozenset[str]) -> bool:
    return any(c.dep_ in OBJECTS | PASSIVE_SUBJECTS and c.lemma_.lower() in words for c in token.children)


def _find_rule(token: Token) -> TriggerRule | None:
    lex, data = lexicon(), lexicon().data
    lemma = token.lemma_.lower()
    kind = "VERB" if token.pos_ == "VERB" else "NOUN" if token.pos_ in {"NOUN", "PROPN"} else None
    if kind is None or (token.lower_ in dates.MONTH_NAMES and token.is_title):
        return None  # "In March", not a march
    if kind == "VERB" and lemma in data.firing_verbs and any(
        c.dep_ in OBJECTS and (c.lemma_.lower() in data.weapon_nouns or c.lower_ in data.weapon_nouns)
        for c in token.children
    ):
        return lex.first("FIGHT")
    if lemma not in lex.triggers and lemma not in data.movement_verbs:
        return None
    if kind == "VERB" and _natural_cause(token, data.natural_causes):
        return None  # "floods that have killed 63 people"
    if kind == "NOUN" and lemma == "protest" and token.head.lemma_.lower() in data.diplomatic_protest_verbs:
        return lex.first("DISAPPROVE")  # "lodged a diplomatic protest"
    if kind == "NOUN" and lemma == "strike" and token.dep_ in OBJECTS and _stands_down(token.head):
        return next(r for r in lex.triggers["strike"] if r.type == "PROTEST")  # "called off its strike"
    children = list(token.children)
    if kind == "VERB" and lemma in data.movement_verbs:
        movers = heads_of(token, SUBJECTS | PASSIVE_SUBJECTS | {"dobj"})
        if any(m.lemma_.lower() in data.military_nouns or m.lower_ in data.military_nouns for m in movers):
            return lex.first("MOBILIZE")
    if kind == "VERB" and lemma == "call":
        return _call_rule(token, lex)
    phone = lemma == "speak" and any(t.lower_ in lex.words.phone_words for t in token.subtree)
    for rule in lex.triggers.get(lemma, []):
        if kind not in rule.pos:
            continue
        if "phone" in rule.requires and lemma == "speak" and not phone and not any(c.lower_ == "with" for c in children):
            continue
        if "phone" in rule.unless and lemma == "call":
            continue
        if "xcomp" in rule.unless and any(c.dep_ == "xcomp" and names_an_event(c) for c in children):
            continue  # "agreed to roll over loans": the event is the rolling over
        if "object" in rule.unless and any(c.dep_ == "dobj" for c in children):
            continue  # "flew 30 of the wounded to Istanbul" carried them; it went on no visit
        if "xcomp" in rule.requires and not any(c.dep_ == "xcomp" for c in children):
            continue  # "declined to resign", not "exports declined"
        if rule.with_words and not _has_word(token, rule.with_words):
            continue
        if rule.type == "THREATEN" and rule.speech_act and kind == "VERB" and _warns_of_no_act(token, lex):
            continue  # "cautioned that no deadline had been set": a statement, not a threat
        if "aid_object" in rule.requires and not _has_aid_object(token, lex):
            continue
        restrictions = lex.words.restriction_words | lex.words.restriction_objects
        if "restriction_object" in rule.requires and not _has_object(token, restrictions):
            continue  # "lifted sanctions", not "lifted spirits"
        if rule.roles == "swapped" and not any(_is_guest(c, data.guest_nouns) for c in children if c.dep_ in OBJECTS):
            continue  # "Turkey hosts 2.4 million refugees" is no visit
        if "agreement_object" in rule.requires and not _has_object(token, lex.words.agreement_nouns):
            continue
        return rule
    return None


WORD_DEPS = OBJECTS | PASSIVE_SUBJECTS | {"compound", "amod", "nmod"}
ENTITY_WORDS = {"@place": {"GPE", "LOC", "FAC"}, "@person": {"PERSON"}, "@people": {"NORP"}}


def _has_word(token: Token, words: frozenset[str]) -> bool:
    """Whether an object or modifier of the trigger (or what a preposition of it governs) is
    one of `words`. A named place counts only as what is acted on: "seized the town of Bakhmut",
    not "seized four trawlers off Mannar"."""
    nodes = [c for c in token.children if c.dep_ in WORD_DEPS]
    nodes += [p for n in nodes if n.dep_ in OBJECTS for c in n.children if c.lower_ == "of" for p in c.children]
    nodes += [c for n in nodes if n.dep_ in OBJECTS for c in n.children if c.dep_ == "compound"]  # "internet access"
    governed = [p for c in token.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    labels = {label for word, found in ENTITY_WORDS.items() if word in words for label in found}
    return any(n.lemma_.lower() in words or n.lower_ in words for n in nodes + governed) or any(
        n.ent_type_ in labels for n in nodes)


def _warns_of_no_act(verb: Token, lex: Lexicon) -> bool:
    """Whether what a warning says ("warned that …") tells of nothing to come: no 'will',
    'would', 'could' and no 'if' or 'unless' in it."""
    said = heads_of(verb, {"ccomp"})
    modal = lex.words.future_auxiliaries | {"if", "unless"}
    return bool(said) and not any(t.lower_ in modal for clause in said for t in clause.subtree)


def _stands_down(verb: Token) -> bool:
    """Whether a verb fires a rule about stopping protests ("called off", "broke up"), whose
    words name strikes: its strike is a labour one."""
    rule = rule_for(verb) if verb.pos_ == "VERB" else None
    return rule is not None and "strike" in rule.with_words


def _natural_cause(verb: Token, causes: frozenset[str]) -> bool:
    """Whether the verb's subject (a relative clause's: its head noun) is a flood, a fire, a disease."""
    for subject in heads_of(verb, SUBJECTS):
        noun = verb.head if subject.tag_ == "WDT" and verb.dep_ == "relcl" else subject
        if noun.lemma_.lower() in causes or noun.lower_ in causes:
            return True
    return False


def names_an_event(verb: Token) -> bool:
    """Whether a verb is a trigger, or its object is ("hold talks", "roll over loans")."""
    return rule_for(verb) is not None or any(c.dep_ in OBJECTS and rule_for(c) is not None for c in verb.children)


def _call_rule(token: Token, lex: Lexicon) -> TriggerRule | None:
    """'call' is a phone call, a demand ('called on X to', 'called for'), a criticism
    ('called the deployment a provocation') or standing a protest down ('called off the strike')."""
    if any(c.dep_ == "prt" and c.lower_ == "off" for c in token.children):
        off = next(r for r in lex.triggers["call"] if r.type == "CONCEDE")
        return off if _has_word(token, off.with_words) else None  # "called off its strike"
    preps = {c.lower_: c for c in token.children if c.dep_ == "prep"}
    called_on = "on" in preps and any(p.dep_ == "pobj" and p.ent_type_ not in {"DATE", "TIME"} for p in preps["on"].children)
    if "for" in preps or called_on:
        return next(r for r in lex.triggers["call"] if r.type == "DEMAND")
    labels = [c for c in token.children if c.dep_ in {"oprd", "ccomp", "xcomp"}]
    if any(t.lemma_.lower() in lex.data.negative_labels for label in labels for t in label.subtree):
        return lex.first("DISAPPROVE")
    if any(t.lower_ in lex.words.phone_words for t in token.subtree):
        return next(r for r in lex.triggers["call"] if r.type == "CONSULT")
    return None


def _has_aid_object(token: Token, lex: Lexicon) -> bool:
    """'pledged aid', 'pledged $1.5 billion', 'pledged 1.3 billion euros'."""
    from pipeline.nlp.amounts import currency_code

    for child in token.children:
        if child.dep_ not in OBJECTS:
            continue
        if child.ent_type_ == "MONEY" or currency_code(child.text) or any(t.lemma_.lower() in lex.aid_objects for t in child.subtree):
            return True
    return False


def verb_forms(token: Token) -> set[str]:
    """The token's lemma and the stems of its surface form, for looking verbs up in word
    lists even where the lemmatizer errs ('staged' is lemmatised 'stag')."""
    lower = token.lower_
    forms = {token.lemma_.lower(), lower}
    for suffix, stem in (("ied", "y"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e")):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            forms.add(lower[: -len(suffix)] + stem)
    return forms


def light_verb(token: Token) -> Token | None:
    """The verb carrying a noun trigger: 'held talks', 'imposed sanctions'."""
    head = token.head
    if token.dep_ in OBJECTS | PASSIVE_SUBJECTS and head.pos_ in {"VERB", "AUX"} and is_light_verb(head):
        return head
    return None


def is_light_verb(verb: Token) -> bool:
    """'hold', 'impose', 'launch': a verb that carries the event its object names."""
    return bool(verb_forms(verb) & lexicon().data.light_verbs)


def _is_guest(noun: Token, guest_nouns: frozenset[str]) -> bool:
    """A named guest, or a visitor's title: 'hosted Kane', 'hosted Benin's foreign minister'."""
    return noun.pos_ == "PROPN" or noun.lower_ in guest_nouns or noun.lemma_.lower() in guest_nouns
