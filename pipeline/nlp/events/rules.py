"""Events: PLOVER events from rules over spaCy's dependency parse.

The trigger lexicon and the word lists live in `data/events.toml`; this module holds the
generic argument rules: subjects and objects of verbs (active and passive), possessors and
prepositional objects of nouns ("Putin's visit to China"), light verbs ("held talks with"),
coordination ("visited Beijing and met with Xi"), reported speech ("warned that Y could face
sanctions"), pronouns and "the two leaders" resolved within the article, and objects that
refer back to an earlier event ("criticised the visit").
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator

from models import Document, Event, Participant
from models.extraction import PLOVER_TYPES, PloverType
from pipeline.data_files import DataFile, load_data
from pipeline.nlp import dates
from pipeline.nlp.entities import EntityLayer
from pipeline.nlp.model import sentence_ents, sentence_of
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJECTS = {"nsubj", "csubj"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "attr", "oprd"}
FUTURE_AUX = {"will", "would", "may", "might", "could", "shall", "'ll", "can", "should"}
PLAN_HEADS = {
    "plan", "expect", "schedule", "set", "due", "intend", "aim", "hope", "prepare", "seek",
    "want", "propose", "consider", "likely", "poise", "slate", "look",
}  # fmt: skip
PLAN_MODIFIERS = {"planned", "upcoming", "expected", "scheduled", "possible", "potential", "proposed", "forthcoming", "future"}
NEGATING_HEADS = {"deny", "refute", "fail"}
RESTRICT_WORDS = {"sanction", "sanctions", "tariff", "embargo", "ban", "restriction", "blacklist", "penalty", "duty", "levy", "countermeasure", "countermeasures"}
FORCE_WORDS = {"strike", "attack", "force", "military", "war", "invade", "military-technical"}
AGREEMENT_NOUNS = {"agreement", "deal", "accord", "pact", "treaty", "memorandum", "contract", "declaration", "charter", "protocol", "roadmap"}
COMMUNICATION_NOUNS = {"letter", "message", "statement", "speech", "call", "note", "address", "interview"}
STATEMENTS = {"DEMAND", "THREATEN", "DISAPPROVE", "REJECT", "SUPPORT"}
REPORTING_VERBS = {"say", "tell", "add", "state", "note", "stress", "argue", "insist", "declare"}
CONTEXT_PREPS = {"in", "during", "after", "following", "before", "at", "on", "ahead"}


class TriggerRule(DataFile):
    """One `[[trigger]]` of `data/events.toml`: lemmas, their parts of speech, the event type,
    mode and CAMEO code, and the conditions the rule needs."""

    lemmas: tuple[str, ...]
    pos: tuple[Literal["VERB", "NOUN"], ...]
    type: PloverType
    mode: str
    cameo: str
    target_preps: tuple[str, ...] = ()
    symmetric: bool = False
    ccomp_target: bool = False
    requires_target: bool = False
    requires_phone: bool = False
    not_phone: bool = False
    requires_aid_object: bool = False
    requires_light_verb: bool = False
    target_is_location: bool = False
    swap_roles: bool = False
    not_with_xcomp: bool = False
    content_clause: bool = False
    requires_agreement_object: bool = False
    requires_restriction_object: bool = False


def _type_or_mode(value: str) -> str:
    if value.split("/")[0] not in PLOVER_TYPES:
        raise ValueError(f"{value!r} is not a PLOVER type, nor TYPE/mode")
    return value


TypeOrMode = Annotated[str, AfterValidator(_type_or_mode)]


class LemmaList(DataFile):
    lemmas: list[str]


class EventsFile(DataFile):
    light_verbs: list[str]
    retaliation_verbs: list[str]
    firing_verbs: list[str]
    weapon_nouns: list[str]
    diplomatic_protest_verbs: list[str]
    military_nouns: list[str]
    movement_verbs: list[str]
    civilian_targets: list[str]
    negative_labels: list[str]
    aid_objects: LemmaList
    anaphoric_nouns: dict[str, list[TypeOrMode]]
    trigger: list[TriggerRule]


@dataclass(frozen=True)
class Lexicon:
    triggers: dict[str, list[TriggerRule]]
    light_verbs: frozenset[str]
    aid_objects: frozenset[str]
    anaphoric: dict[str, tuple[str, ...]]
    retaliation: frozenset[str]
    military: frozenset[str]
    movement: frozenset[str]
    civilian: frozenset[str]
    negative: frozenset[str]
    firing: frozenset[str]
    weapons: frozenset[str]
    diplomatic_protest: frozenset[str]

    def first(self, event_type: str) -> TriggerRule:
        return next(r for rules in self.triggers.values() for r in rules if r.type == event_type)


@functools.cache
def lexicon() -> Lexicon:
    data = load_data("events.toml", EventsFile)
    index: dict[str, list[TriggerRule]] = {}
    for rule in data.trigger:
        for lemma in rule.lemmas:
            index.setdefault(lemma, []).append(rule)
    return Lexicon(
        triggers=index,
        light_verbs=frozenset(data.light_verbs),
        aid_objects=frozenset(data.aid_objects.lemmas),
        anaphoric={noun: tuple(types) for noun, types in data.anaphoric_nouns.items()},
        retaliation=frozenset(data.retaliation_verbs),
        military=frozenset(data.military_nouns),
        movement=frozenset(data.movement_verbs),
        civilian=frozenset(data.civilian_targets),
        negative=frozenset(data.negative_labels),
        firing=frozenset(data.firing_verbs),
        weapons=frozenset(data.weapon_nouns),
        diplomatic_protest=frozenset(data.diplomatic_protest_verbs),
    )


@dataclass
class _Draft:
    rule: TriggerRule
    trigger: Token
    type: str = ""
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    status: str = "happened"
    date: str | None = None
    date_text: str | None = None
    mode: str | None = None
    cameo: str | None = None
    confidence: float = 0.9


# --- choosing the rule ---------------------------------------------------------------------


def _heads_of(token: Token, deps: set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def _rule_for(token: Token) -> TriggerRule | None:
    """The trigger rule a token fires, if any (memoised per document: helpers ask often)."""
    cache = token.doc._.newsgraph_rules
    if cache is None:
        cache = token.doc._.newsgraph_rules = {}
    if token.i not in cache:
        cache[token.i] = _find_rule(token)
    return cache[token.i]


def _find_rule(token: Token) -> TriggerRule | None:
    lex = lexicon()
    lemma = token.lemma_.lower()
    kind = "VERB" if token.pos_ == "VERB" else "NOUN" if token.pos_ in {"NOUN", "PROPN"} else None
    if kind is None or (token.lower_ in dates.MONTH_NAMES and token.is_title):
        return None  # "In March", not a march
    if kind == "VERB" and lemma in lex.firing and any(
        c.dep_ in OBJECTS and (c.lemma_.lower() in lex.weapons or c.lower_ in lex.weapons) for c in token.children
    ):
        return lex.first("FIGHT")
    if lemma not in lex.triggers and lemma not in lex.movement:
        return None
    if kind == "NOUN" and lemma == "protest" and token.head.lemma_.lower() in lex.diplomatic_protest:
        return lex.first("DISAPPROVE")  # "lodged a diplomatic protest"
    children = list(token.children)
    if kind == "VERB" and lemma in lex.movement:
        movers = _heads_of(token, SUBJECTS | PASSIVE_SUBJECTS | {"dobj"})
        if any(m.lemma_.lower() in lex.military or m.lower_ in lex.military for m in movers):
            return lex.first("MOBILIZE")
    if kind == "VERB" and lemma == "call":
        return _call_rule(token, lex)
    rules = lex.triggers.get(lemma, [])
    phone = lemma == "speak" and (any(t.lower_ in {"phone", "telephone"} for t in token.subtree))
    for rule in rules:
        if kind not in rule.pos:
            continue
        if rule.requires_phone and lemma == "speak" and not phone and not any(c.lower_ == "with" for c in children):
            continue
        if rule.not_phone and lemma == "call":
            continue
        if rule.not_with_xcomp and any(c.dep_ == "xcomp" for c in children):
            continue  # "agreed to roll over loans": the event is the rolling over
        if rule.requires_aid_object and not _has_aid_object(token, lex):
            continue
        if rule.requires_restriction_object and not any(
            c.dep_ in OBJECTS | PASSIVE_SUBJECTS and c.lemma_.lower() in RESTRICT_WORDS | {"restrictions", "curbs", "tariffs"}
            for c in children
        ):
            continue  # "lifted sanctions", not "lifted spirits"
        if rule.swap_roles and not any(c.dep_ in OBJECTS and c.pos_ == "PROPN" for c in children):
            continue  # "Turkey hosts 2.4 million refugees" is no visit
        if rule.requires_agreement_object and not any(
            c.dep_ in OBJECTS | PASSIVE_SUBJECTS and c.lemma_.lower() in AGREEMENT_NOUNS for c in children
        ):
            continue
        return rule
    return None


def _call_rule(token: Token, lex: Lexicon) -> TriggerRule | None:
    """'call' is a phone call, a demand ('called on X to', 'called for') or a criticism
    ('called the deployment a provocation')."""
    preps = {c.lower_: c for c in token.children if c.dep_ == "prep"}
    called_on = "on" in preps and any(p.dep_ == "pobj" and p.ent_type_ not in {"DATE", "TIME"} for p in preps["on"].children)
    if "for" in preps or called_on:
        return next(r for r in lex.triggers["call"] if r.type == "DEMAND")
    labels = [c for c in token.children if c.dep_ in {"oprd", "ccomp", "xcomp"}]
    if any(t.lemma_.lower() in lex.negative for label in labels for t in label.subtree):
        return lex.first("DISAPPROVE")
    if any(t.lower_ in {"phone", "telephone"} for t in token.subtree):
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


def _light_verb(token: Token) -> Token | None:
    """The verb carrying a noun trigger: 'held talks', 'imposed sanctions'."""
    head = token.head
    if token.dep_ in OBJECTS | PASSIVE_SUBJECTS and head.pos_ in {"VERB", "AUX"}:
        if head.lemma_.lower() in lexicon().light_verbs:
            return head
    return None


# --- arguments -----------------------------------------------------------------------------


def _subject(verb: Token, resolver: Resolver, depth: int = 0) -> tuple[list[str], list[str]]:
    """(sources, passive targets) of a verb, inherited through coordination and control."""
    sources: list[str] = []
    passive: list[str] = []
    for child in verb.children:
        if child.dep_ in SUBJECTS:
            sources += resolver.resolve(child)
        elif child.dep_ in PASSIVE_SUBJECTS:
            passive += resolver.resolve(child)
        elif child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    sources += resolver.resolve(pobj)
    if sources or passive or depth > 3 or verb.head.i == verb.i:
        return sources, passive
    head = verb.head
    if (verb.dep_ == "conj" and head.dep_ == "ccomp" and head.head.lemma_.lower() in REPORTING_VERBS
            and (rule := _rule_for(verb)) is not None and rule.type in STATEMENTS):
        # "Kallas said Iran's help … was unacceptable and urged Tehran …": the parser hangs
        # "urged" on the reported clause; the one who urged is the one who said.
        return _subject(head.head, resolver, depth + 1)
    if verb.dep_ in {"conj", "xcomp", "advcl", "acomp"}:
        head_sources, head_passive = _subject(verb.head, resolver, depth + 1)
        if verb.dep_ in {"xcomp", "acomp"} and not head_sources and head_passive:
            return head_passive, []  # "Putin is scheduled to visit": the controller
        return head_sources, head_passive if verb.dep_ == "conj" else []
    if verb.dep_ == "relcl" and (found := resolver.resolve(verb.head)):
        return found, []
    if verb.dep_ in {"acl", "relcl"} and _rule_for(verb.head) is not None:
        return _noun_sources(verb.head, resolver), []
    return sources, passive


def _noun_sources(noun: Token, resolver: Resolver) -> list[str]:
    sources: list[str] = []
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ in {"compound", "amod", "nmod"} and resolver.entity_at(child)):
            sources += resolver.resolve(child)
        elif child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            sources += [e for p in child.children if p.dep_ == "pobj" for e in resolver.resolve(p)]
        elif child.dep_ == "acl":  # "air strikes carried out by Israel"
            for agent in child.children:
                if agent.dep_ == "agent":
                    sources += [e for p in agent.children if p.dep_ == "pobj" for e in resolver.resolve(p)]
    return sources


def _prep_targets(token: Token, preps: tuple[str, ...], resolver: Resolver) -> list[str]:
    targets: list[str] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    targets += resolver.resolve(pobj)
    return targets


def _letter_targets(token: Token, resolver: Resolver) -> list[str]:
    """'warned in a letter to Khamenei' / 'in a call with Lutnick': the addressee."""
    targets: list[str] = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in {"in", "during"}:
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in COMMUNICATION_NOUNS:
                    targets += _prep_targets(noun, ("to", "with"), resolver)
    return targets


def _container(noun: Token) -> Token:
    """'a package of sanctions', 'a round of talks': the noun the trigger is counted by."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        return noun.head.head
    return noun


def _place_targets(token: Token, resolver: Resolver, depth: int = 0) -> list[str]:
    """What an attack hit when it names only where: 'struck a building in Kharkiv', 'strikes
    on military sites near Damascus'."""
    found: list[str] = []
    for node in [token] + [c for c in token.children if c.dep_ in OBJECTS]:
        for prep in node.children:
            if prep.dep_ == "prep" and prep.lower_ in {"in", "on", "near", "at", "outside"}:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ != "DATE":
                        found += resolver.resolve(pobj) or (_place_targets(pobj, resolver, depth + 1) if depth < 1 else [])
    return found


def _refers_back(noun: Token) -> bool:
    """'the visit', 'during the talks': a definite event noun with nothing of its own names
    an event told before, not a new one. 'under the free trade agreement' names a standing
    framework, not an event."""
    if noun.pos_ == "VERB":
        return False
    if noun.dep_ == "pobj" and noun.head.lower_ in {"under", "within"}:
        return True
    children = list(noun.children)
    definite = any(c.dep_ == "det" and c.lower_ in {"the", "this", "that", "these", "those"} for c in children)
    own = any(c.dep_ in {"poss", "prep", "compound", "amod", "nmod"} and c.lower_ not in {"of"} and c.pos_ != "ADJ" for c in children)
    return definite and not own


def _beneficiaries(token: Token, resolver: Resolver) -> list[str]:
    """Whom aid is for, anywhere in the phrase: 'pledged 1.6 billion yen in security
    assistance for the Philippine Navy'. Reported clauses are left out."""
    found: list[str] = []
    clauses = {t.i for c in token.children if c.dep_ in {"ccomp", "advcl", "relcl", "conj"} for t in c.subtree}
    for node in token.subtree:
        if node.i not in clauses and node.dep_ == "pobj" and node.head.lower_ in {"for", "to"}:
            found += resolver.resolve(node)
    return found


def _context_verb(noun: Token) -> Token | None:
    """The verb a noun trigger hangs from through a preposition: 'In a phone call with X,
    Ahn asked …', 'after a phone call with Nauseda'."""
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ in CONTEXT_PREPS:
        verb = noun.head.head
        if verb.pos_ in {"VERB", "AUX"}:
            return verb
    return None


def _arguments(draft: _Draft, resolver: Resolver, history: list[_Draft]) -> None:
    token, rule = draft.trigger, draft.rule
    if token.pos_ == "VERB":
        sources, passive = _subject(token, resolver)
        targets = list(passive)
        objects = _heads_of(token, OBJECTS)
        for child in objects:
            found = resolver.resolve(child)
            if not found and child.pos_ == "NOUN" and _rule_for(child) is not None:
                found = _noun_sources(child, resolver)  # "condemned air strikes carried out by Israel"
            targets += found
        targets += _prep_targets(token, rule.target_preps, resolver)
        if rule.type == "AID" and not targets:  # "pledged $1.5 billion in aid for Sudan"
            targets = _beneficiaries(token, resolver)
        if not targets:
            targets = _letter_targets(token, resolver)
        if rule.ccomp_target:
            for clause in _heads_of(token, {"ccomp", "xcomp"}):
                targets += _reported_targets(draft, clause, sources, resolver, history)
        if not targets:
            targets = _anaphoric_targets(objects, sources, history, resolver=resolver)
    else:
        sources = _noun_sources(token, resolver)
        targets = _prep_targets(token, rule.target_preps, resolver)
        if rule.type == "AID" and not targets:  # "loans worth 40 billion yuan to Pakistan"
            targets = _beneficiaries(token, resolver)
        container = _container(token)  # "a new package of sanctions against Russia"
        light = _light_verb(container)
        carrier = light or _context_verb(container)
        if carrier is not None:
            verb_sources, _ = _subject(carrier, resolver)
            # "Stoltenberg expressed the alliance's solidarity": the one who expressed it
            sources = (verb_sources or sources) if light is not None else (sources or verb_sources)
            if light is not None:
                targets += _prep_targets(carrier, rule.target_preps, resolver)
    if draft.type in {"FIGHT", "ASSAULT"} or rule.type == "FIGHT":
        targets = targets or [e for e in _place_targets(token, resolver)]
    if rule.type == "MOBILIZE" and token.pos_ == "VERB":
        # "160 German personnel have been stationed in Poland": the troops' country moves
        movers = [c for c in token.children if c.dep_ in SUBJECTS | PASSIVE_SUBJECTS | {"dobj"}
                  and c.lemma_.lower() in lexicon().military]  # fmt: skip
        if movers:
            sources = sources if sources and not any(m.dep_ in SUBJECTS for m in movers) else []
            sources = sources or [e for m in movers for e in resolver.resolve(m)]
            targets = [t for t in targets if t not in sources] or _place_targets(token, resolver)
    sources = list(dict.fromkeys(sources))
    targets = [t for t in dict.fromkeys(targets) if t not in sources]
    if rule.symmetric and len(sources) >= 2 and not targets:
        sources, targets = sources[:1], sources[1:]
    if rule.symmetric and not sources and len(targets) >= 2:
        sources, targets = targets[:1], targets[1:]
    if rule.swap_roles:
        sources, targets = targets, sources
    if rule.target_is_location:
        draft.locations = [t for t in targets if t.startswith(("place:", "country:"))]
        targets = [t for t in targets if t not in draft.locations] or draft.locations[:1]
    draft.sources = list(dict.fromkeys(sources))
    draft.targets = [t for t in dict.fromkeys(targets) if t not in draft.sources]


def _reported_targets(draft: _Draft, clause: Token, sources: list[str], resolver: Resolver, history: list[_Draft]) -> list[str]:
    """Who a warning is aimed at: the subject of the reported clause ('warned that Chinese
    banks could face sanctions'), unless that clause says the speaker's side will hit back
    ('warned that Russia would retaliate against the bloc'): then whom it hits back at."""
    if draft.rule.type == "THREATEN":
        _restrict_or_force(draft, clause)
    lex = lexicon()
    subject, passive = _subject(clause, resolver)
    if clause.lemma_.lower() in lex.retaliation or clause.lemma_.lower() in {"impose"}:
        aimed = [e for t in clause.subtree if t.dep_ == "pobj" and t.head.lower_ in {"against", "on"}
                 for e in resolver.resolve(t)]  # fmt: skip
        if clause.lemma_.lower() == "impose" and not aimed:
            return []
        return aimed or _responded_to(subject, sources, history, resolver)
    return subject + passive


def _anaphoric_targets(
    objects: list[Token], sources: list[str], history: list[_Draft], any_type: bool = False,
    resolver: Resolver | None = None,
) -> list[str]:
    """'criticised the visit', 'rejected the claim': the parties of the event referred to."""
    lex = lexicon()
    wanted: tuple[str, ...] = ()
    if not any_type:
        nouns = [o for o in objects if o.pos_ == "NOUN" and o.lower_ in lex.anaphoric]
        if not nouns or any(c.dep_ == "poss" for c in nouns[0].children):
            return []
        wanted = lex.anaphoric[nouns[0].lower_]
    candidates = [
        p for p in reversed(history)
        if p.sources and not set(p.sources) & set(sources)
        and (not wanted or p.type in wanted or f"{p.type}/{p.mode}" in wanted)
    ]  # fmt: skip
    happened = [p for p in candidates if p.status == "happened"]
    for previous in happened or candidates:
        parties = previous.sources + (previous.targets if previous.rule.symmetric else [])
        if previous.type in {"COOPERATE", "AGREE"} and resolver is not None:
            parties = [resolver.country_of(e) for e in parties]  # a pact binds states
        return list(dict.fromkeys(parties))
    return []


SPEECH_ACTS = {"DEMAND", "DISAPPROVE", "THREATEN", "CONSULT", "REJECT", "SUPPORT", "AGREE"}


def _responded_to(subject: list[str], sources: list[str], history: list[_Draft], resolver: Resolver) -> list[str]:
    """'warned that Moscow would respond': to the latest act (not a mere statement) against
    Moscow's side, else to the latest statement against it."""
    side = set(subject) | {resolver.country_of(e) for e in subject}
    acts = [p for p in history if p.type not in SPEECH_ACTS]
    for previous in [*reversed(acts), *reversed(history)]:
        if not previous.sources or set(previous.sources) & set(sources):
            continue
        hit = set(previous.targets) | {resolver.country_of(e) for e in previous.targets}
        if hit & side:
            return previous.sources
    return _anaphoric_targets([], sources, history, any_type=True)


def _restrict_or_force(draft: _Draft, clause: Token) -> None:
    words = {t.lemma_.lower() for t in clause.subtree} | {t.lower_ for t in clause.subtree}
    if words & RESTRICT_WORDS:
        draft.mode, draft.cameo = "restrict", "1312"
    elif words & FORCE_WORDS:
        draft.mode, draft.cameo = "force", "138"


def _attack_type(draft: _Draft) -> None:
    """Strikes on camps, homes or hospitals are ASSAULT; on forces, FIGHT."""
    if draft.type != "FIGHT" or draft.rule.mode != "strike":
        return
    civilian = lexicon().civilian
    token = draft.trigger
    hit = [c for c in token.children if c.dep_ in OBJECTS] + [
        p for prep in token.children if prep.dep_ == "prep" for p in prep.children if p.dep_ == "pobj"
    ]
    if any(t.lemma_.lower() in civilian for h in hit for t in h.subtree):
        draft.type, draft.mode, draft.cameo = "ASSAULT", "civilians", "180"


# --- status and date -----------------------------------------------------------------------


def _governing_verb(token: Token) -> Token:
    """The verb whose tense and modality apply to a trigger."""
    if token.pos_ == "VERB":
        return token
    if (carrier := _light_verb(token)) is not None:
        return carrier
    head = token
    for _ in range(3):
        if head.dep_ in SUBJECTS | PASSIVE_SUBJECTS | OBJECTS | {"pobj", "prep"}:
            head = head.head
        if head.pos_ in {"VERB", "AUX"}:
            return head
    return token


def _negated(node: Token) -> bool:
    children = list(node.children)
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in children):
        return True
    # "no agreement was signed", "signed no deal"
    return any(
        c.dep_ in SUBJECTS | PASSIVE_SUBJECTS | OBJECTS and any(d.lower_ == "no" and d.dep_ == "det" for d in c.children)
        for c in children
    )


def _status(draft: _Draft, published) -> str:
    token = draft.trigger
    verb = _governing_verb(token)
    if token.pos_ != "VERB" and _light_verb(_container(token)) is None and _context_verb(_container(token)) is not None:
        verb = token  # "failed to conclude … at talks in Brussels": the talks did happen
    chain = [token, verb]
    if verb.dep_ in {"conj", "xcomp"}:
        chain.append(verb.head)
    if any(_negated(node) for node in chain):
        return "negated"
    if token.pos_ != "VERB" and any(c.lower_ == "no" and c.dep_ == "det" for c in token.children):
        return "negated"
    for node in chain:
        if node.dep_ in {"ccomp", "xcomp"} and node.head.lemma_.lower() in NEGATING_HEADS:
            return "negated"  # "denied that it had supplied", "failed to conclude"
    for node in chain:
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in node.children):
            return "planned"
        if node.dep_ in {"xcomp", "acomp"} and node.head.lemma_.lower() in PLAN_HEADS:
            return "planned"
        if node.dep_ == "xcomp" and node.head.dep_ == "acomp" and node.head.lemma_.lower() in PLAN_HEADS:
            return "planned"
        if node.dep_ == "advcl" and any(c.lower_ == "if" for c in node.children):
            return "planned"
        if node.lemma_.lower() in PLAN_HEADS and node is not token and node.pos_ == "VERB":
            if any(c.dep_ in PASSIVE_SUBJECTS | SUBJECTS and c.i == token.i for c in node.children):
                return "planned"
    if token.pos_ != "VERB":
        if any(c.lower_ in PLAN_MODIFIERS for c in token.children):
            return "planned"
        if token.head.lemma_.lower() in PLAN_HEADS or token.head.lower_ in PLAN_MODIFIERS:
            return "planned"
    if dates.is_after(draft.date, published):
        return "planned"
    return "happened"


def _is_future(draft: _Draft) -> bool:
    verb = _governing_verb(draft.trigger)
    nodes = [verb, verb.head] if verb.dep_ in {"conj", "xcomp", "acomp"} else [verb]
    for node in nodes:
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in node.children):
            return True
        if node.lemma_.lower() in PLAN_HEADS | {"agree"} or node.head.lemma_.lower() in PLAN_HEADS:
            return True
    return draft.trigger.head.lower_ in PLAN_MODIFIERS or any(
        c.lower_ in PLAN_MODIFIERS for c in draft.trigger.children
    )


def _date_candidates(token: Token) -> list:
    """DATE entities of the sentence, 'the 9th' that spaCy calls an ORDINAL, and a month
    name compounded into the trigger ('Putin's May visit')."""
    sentence = sentence_of(token)
    found = [e for e in sentence_ents(sentence) if e.label_ == "DATE"]
    for ent in sentence_ents(sentence):
        if ent.label_ == "ORDINAL" and ent.start > 1 and ent.doc[ent.start - 1].lower_ == "the":
            if ent.doc[ent.start - 2].lower_ == "on":
                found.append(ent)
    found += [
        token.doc[c.i : c.i + 1]
        for c in token.children
        if c.dep_ in {"compound", "npadvmod"} and c.lower_ in dates.MONTH_NAMES
    ]
    return found


def _date(draft: _Draft, published, history: list[_Draft]) -> None:
    token = draft.trigger
    candidates = _date_candidates(token)
    if not candidates:
        _date_from_context(draft, history)
        return
    verb = _governing_verb(token)
    anchors = {token.i, verb.i}
    clause = next((a for a in [verb, *verb.ancestors] if a.dep_ == "ccomp"), None)
    if clause is not None:  # 'Iran on Wednesday denied that it had supplied missiles'
        inside = {t.i for t in clause.subtree}
        candidates = [e for e in candidates if e.start in inside]

    governed = {t.i for anchor in (token, verb) for t in anchor.subtree}

    def distance(ent) -> tuple[int, int]:
        inside = any(t.i in governed for t in ent)
        return (0 if inside else 1, min(abs(ent.start - a) for a in anchors))

    future = _is_future(draft)
    for ent in sorted(candidates, key=distance):
        text = f"the {ent.text}" if ent.label_ == "ORDINAL" else ent.text
        if ent.text.lower().endswith("same day") and history and history[-1].date:
            draft.date, draft.date_text = history[-1].date, ent.text
            return
        if (resolved := dates.resolve(text, published, future=future)) is not None:
            draft.date, draft.date_text = resolved, ent.text
            return
    _date_from_context(draft, history)


def _date_from_context(draft: _Draft, history: list[_Draft]) -> None:
    """'During the visit, Ishiba pledged …': the date of the event referred to. 'Kallas is
    expected to travel to Kyiv on Monday. She will meet Zelensky': the date of the same
    actor's event just told, in this sentence or the one before."""
    lex = lexicon()
    sentence = sentence_of(draft.trigger)
    verb = _governing_verb(draft.trigger)
    if not any(c.dep_ in SUBJECTS and c.pos_ == "PRON" for c in verb.children):
        history = []  # only "She will meet …" carries the date of what she was just said to do
    for previous in reversed(history):
        gap = sentence.start - sentence_of(previous.trigger).start
        if sentence_of(previous.trigger).start > sentence.start or gap > 0 and sentence_of(previous.trigger).end < sentence.start - 1:
            break
        if previous.date and previous.sources and previous.sources == draft.sources:
            draft.date, draft.date_text = previous.date, previous.date_text
            return
    for node in sentence_of(draft.trigger):
        if node.dep_ == "pobj" and node.head.lower_ in {"during", "after", "at", "following"} and node.lower_ in lex.anaphoric:
            if not any(c.dep_ == "det" and c.lower_ == "the" for c in node.children):
                continue
            wanted = lex.anaphoric[node.lower_]
            for previous in reversed(history):
                if previous.date and (not wanted or previous.type in wanted or f"{previous.type}/{previous.mode}" in wanted):
                    draft.date, draft.date_text = previous.date, None
                    return


def _locations(draft: _Draft, resolver: Resolver) -> None:
    verb = _governing_verb(draft.trigger)
    for node in (draft.trigger, verb):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ in {"in", "at", "near"}:
                for pobj in child.children:
                    for entity in resolver.resolve(pobj) if pobj.dep_ == "pobj" else []:
                        if entity.startswith("place:") and entity not in draft.targets:
                            draft.locations.append(entity)


# --- assembling events ---------------------------------------------------------------------


def _event_id(draft: _Draft, sources: list[str], targets: list[str]) -> str:
    if draft.rule.symmetric:
        sources, targets = sorted(sources + targets), []
    key = "|".join([draft.type, draft.mode or "", ",".join(sorted(sources)), ",".join(sorted(targets)),
                    draft.date or "", draft.status])  # fmt: skip
    return "ev:" + hashlib.sha1(key.encode()).hexdigest()[:16]


def _dyads(draft: _Draft) -> list[tuple[list[str], list[str]]]:
    """Events are dyadic: 'urged Russia and Ukraine' is two demands. A meeting or an
    agreement keeps all its parties together."""
    if draft.rule.symmetric or (len(draft.sources) <= 1 and len(draft.targets) <= 1):
        return [(draft.sources, draft.targets)]
    sources: list[str | None] = [*draft.sources] or [None]
    targets: list[str | None] = [*draft.targets] or [None]
    return [([s] if s else [], [t] if t else []) for s in sources for t in targets]


def extract_events(document: Document, doc: Doc, layer: EntityLayer) -> list[Event]:
    """Every event the rules find in the document, deduplicated within the article."""
    resolver = Resolver(layer)
    published = document.article.published_date
    events: dict[str, Event] = {}
    history: list[_Draft] = []
    lead_date = _lead_date(document, doc, published)
    for token in doc:
        rule = _rule_for(token)
        if rule is None or _covered_by_verb(token) or _inside_threat(token) or _refers_back(token):
            continue
        if rule.requires_light_verb and _light_verb(token) is None:
            continue
        draft = _Draft(rule=rule, trigger=token, type=rule.type, mode=rule.mode, cameo=rule.cameo)
        _arguments(draft, resolver, history)
        _attack_type(draft)
        in_title = token.idx < document.body_offset
        if in_title and not (draft.sources and draft.targets):
            continue  # headlines are compressed; the body tells it again in full
        if draft.type == "AID" and not draft.targets:
            # at a pledging conference every pledge is for the same recipient
            draft.targets = next((p.targets for p in reversed(history) if p.type == "AID" and p.targets), [])
        if rule.requires_target and not draft.targets:
            continue
        if draft.mode == "visit" and any(
            sentence_of(p.trigger) == sentence_of(token) and p.mode == "visit" and p.sources == draft.sources
            for p in history
        ):
            continue  # "travelled to Vilnius, where he was received by Nauseda": one visit
        _date(draft, published, history)
        if in_title and draft.date is None:
            draft.date, draft.date_text = lead_date, None  # the headline's event is the lead's
        draft.status = _status(draft, published)
        _locations(draft, resolver)
        if not draft.sources and not draft.targets and not (draft.type == "PROTEST" and (draft.locations or draft.date)):
            continue
        history.append(draft)
        for extra in [draft, *_gapped(draft, resolver)]:
            for sources, targets in _dyads(extra):
                event = _build(document, extra, sources, targets)
                events.setdefault(event.id, event)
    return _drop_undated_repeats(list(events.values()))


def _gapped(draft: _Draft, resolver: Resolver) -> list[_Draft]:
    """'The Commission pledged 1.3 billion euros and Germany 300 million euros': the verb is
    left out after 'and', so each named actor there does the same to the same target."""
    import dataclasses

    token = draft.trigger
    if token.pos_ != "VERB":
        return []
    copies = []
    for conj in token.children:
        if conj.dep_ == "conj" and conj.pos_ == "PROPN" and (actors := resolver.resolve(conj)):
            if not any(c.dep_ in SUBJECTS for c in conj.children):
                copies.append(dataclasses.replace(draft, sources=actors))
    return copies


def _lead_date(document: Document, doc: Doc, published) -> str | None:
    """The first date of the first body sentence: when the headline's news happened."""
    for sentence in doc.sents:
        if sentence.start_char < document.body_offset or not sentence.text.strip():
            continue
        for ent in sentence_ents(sentence):
            if ent.label_ == "DATE" and (resolved := dates.resolve(ent.text, published)):
                return resolved
        return None
    return None


def _drop_undated_repeats(events: list[Event]) -> list[Event]:
    """An undated event that repeats a dated one of the same article (a headline, say) is
    the same event, told again without its date."""

    def key(event: Event) -> tuple:
        parts = sorted((p.role, p.entity_id) for p in event.participants if p.role != "location")
        return event.type, event.mode, event.status, tuple(parts)

    dated = {key(e) for e in events if e.date}
    return [e for e in events if e.date or key(e) not in dated]


def _inside_threat(token: Token) -> bool:
    """A trigger inside what a threat threatens or a demand demands ('warned that banks
    could face sanctions if they support Russia', 'urged both sides to agree to a
    ceasefire') is part of that speech act, not an event of its own."""
    child = token
    for ancestor in token.ancestors:
        if child.dep_ in {"ccomp", "xcomp"} and (rule := _rule_for(ancestor)) and rule.content_clause:
            return True
        child = ancestor
    return False


def _covered_by_verb(token: Token) -> bool:
    """A noun trigger under a verb trigger of the same type is that verb's event: 'signed an
    agreement', 'pledged 1.6 billion yen in security assistance'."""
    if token.pos_ == "VERB":
        return False
    own = _rule_for(token)
    node = token
    for _ in range(4):
        if node.dep_ not in OBJECTS | PASSIVE_SUBJECTS | {"pobj", "prep", "compound", "nmod", "npadvmod"}:
            return False
        node = node.head
        if node.pos_ == "VERB":
            head_rule = _rule_for(node)
            return head_rule is not None and own is not None and head_rule.type == own.type
    return False


def _build(document: Document, draft: _Draft, sources: list[str], targets: list[str]) -> Event:
    token = draft.trigger
    sentence = sentence_of(token)
    confidence = draft.confidence - (0.1 if not targets else 0.0) - (0.1 if token.pos_ != "VERB" else 0.0)
    participants = [Participant(entity_id=e, role="source") for e in sources]
    participants += [Participant(entity_id=e, role="target") for e in targets]
    participants += [Participant(entity_id=e, role="location") for e in dict.fromkeys(draft.locations)
                     if e not in sources and e not in targets]  # fmt: skip
    return Event(
        id=_event_id(draft, sources, targets),
        type=draft.type,
        mode=draft.mode,
        cameo=draft.cameo,
        status=draft.status,  # type: ignore[arg-type]
        trigger=document.span(token.idx, token.idx + len(token.text)),
        participants=participants,
        date=draft.date,
        date_text=draft.date_text,
        sentence=document.span(sentence.start_char, sentence.end_char),
        confidence=round(max(0.1, confidence), 2),
    )
