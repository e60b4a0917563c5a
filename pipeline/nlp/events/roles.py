"""Who did it and to whom: the generic argument rules over the dependency parse.

Subjects and objects of verbs (active and passive), possessors and prepositional objects of
nouns ("Putin's visit to China"), light verbs ("held talks with"), coordination ("visited
Beijing and met with Xi"), reported speech ("warned that Y could face sanctions"), pronouns and
"the two leaders" resolved within the article, and objects that refer back to an earlier
event ("criticised the visit").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.nlp.agent_kinds import kind_of
from pipeline.nlp.events.draft import Draft
from pipeline.nlp.events.lexicon import (
    OBJECTS,
    PASSIVE_SUBJECTS,
    SUBJECTS,
    heads_of,
    lexicon,
    light_verb,
    rule_for,
)
from pipeline.nlp.events.parse import (
    beneficiaries,
    compound_places,
    container_of,
    context_verb,
    harmed,
    has_own_subject,
    letter_targets,
    noun_sources,
    object_controllers,
    participles,
    phrase_head,
    place_targets,
    prep_targets,
    subjects_of,
)
from pipeline.nlp.groups import names_a_pair
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Token

    from pipeline.nlp.events.rules_file import TriggerRule


def arguments(draft: Draft, resolver: Resolver, history: list[Draft]) -> None:
    token, rule = draft.trigger, draft.rule
    places: list[str] = []
    if token.pos_ == "VERB":
        sources, passive = subjects_of(token, resolver)
        sources = object_controllers(token, resolver) or sources  # who was invited, or forced, to act
        targets = list(passive)
        objects = heads_of(token, OBJECTS)
        if token.dep_ == "relcl":  # "a charge Kyrgyz officials denied", "the reporter whom police held"
            objects = [token.head if o.tag_ in {"WP", "WDT"} else o for o in objects]
            objects = objects or ([token.head] if has_own_subject(token) else [])
        for child in objects:
            found = resolver.resolve(child)
            if found and all(f.startswith("place:") for f in found) and _placed_thing(child, rule):
                places += found  # "signed a protocol in Astana": where, not with whom
                continue
            if not found and child.pos_ == "NOUN" and rule_for(child) is not None:
                found = noun_sources(child, resolver)  # "condemned air strikes carried out by Israel"
            targets += found
        targets += prep_targets(token, rule.target_preps, resolver)
        for word in (o for o in objects if o.lower_ in rule.with_words):  # the rule's word: "exchanged fire with X"
            targets += prep_targets(word, rule.target_preps, resolver)
        if rule.mode == "mediate" and not targets:  # "brokered a truce between X and Y", "the truce X brokered"
            mediated = [*objects, *heads_of(token, PASSIVE_SUBJECTS), *([token.head] if token.dep_ == "acl" else [])]
            targets = [e for noun in mediated for e in prep_targets(noun, ("between",), resolver)]
        if rule.roles == "swapped" and not targets:  # "will host delegations from both sides", 'from' on the verb
            targets = prep_targets(token, ("from",), resolver)
        if rule.type == "AID" and not targets:  # "pledged $1.5 billion in aid for Sudan"
            targets = beneficiaries(token, resolver)
        if not targets:
            targets = letter_targets(token, resolver)
        if rule.speech_act:
            for clause in heads_of(token, {"ccomp", "xcomp"}):
                targets += _reported_targets(draft, clause, sources, resolver, history)
        if not targets:
            targets = _anaphoric_targets(objects, sources, history, resolver=resolver)
        if not targets and rule.type == "REJECT":
            targets = _answered(sources, history, resolver)
        if not targets and token.dep_ == "conj":
            targets = _conjoined_targets(token, sources, history)
    else:
        token = phrase_head(token)  # "a mediation effort between X and Y"
        places = compound_places(token, resolver)
        sources = [s for s in noun_sources(token, resolver) if s not in places]
        targets = prep_targets(token, rule.target_preps, resolver)
        for participle in participles(token):
            targets += prep_targets(participle, rule.target_preps, resolver)  # "sanctions imposed on Iran"
        if rule.type == "AID" and not targets:  # "loans worth 40 billion yuan to Pakistan"
            targets = beneficiaries(token, resolver)
        container = container_of(token)  # "a new package of sanctions against Russia"
        light = light_verb(container)
        carrier = light or context_verb(container)
        if carrier is not None:
            verb_sources, _ = subjects_of(carrier, resolver)
            # "Stoltenberg expressed the alliance's solidarity": the one who expressed it
            sources = (verb_sources or sources) if light is not None else (sources or verb_sources)
            if light is not None:  # "held talks with X"; "will give Tanzania a grant"
                targets += prep_targets(carrier, rule.target_preps, resolver)
                targets += [e for c in carrier.children if c.dep_ == "dative" for e in resolver.resolve(c)]
            if not targets and carrier.dep_ == "conj":  # "held talks with Putin and signed 20 agreements"
                targets = _conjoined_targets(carrier, sources, history)
    if draft.type in {"FIGHT", "ASSAULT"} or rule.type == "FIGHT":
        targets = [t for t in targets if t not in sources] + harmed(token, resolver)
        if not targets and not (rule.symmetric and len(sources) >= 2):  # two sides fought each other
            targets = place_targets(token, resolver)
    if rule.type == "MOBILIZE" and token.pos_ == "VERB":
        # "160 German personnel have been stationed in Poland": the troops' country moves
        movers = [c for c in token.children if c.dep_ in SUBJECTS | PASSIVE_SUBJECTS | {"dobj"}
                  and c.lemma_.lower() in lexicon().data.military_nouns]  # fmt: skip
        if movers:
            sources = sources if sources and not any(m.dep_ in SUBJECTS for m in movers) else []
            sources = sources or [e for m in movers for e in resolver.resolve(m)]
            targets = [t for t in targets if t not in sources] or place_targets(token, resolver)
    sources = list(dict.fromkeys(sources))
    targets = [t for t in dict.fromkeys(targets) if t not in sources]
    if rule.symmetric and len(sources) >= 2 and not targets:
        sources, targets = sources[:1], sources[1:]
    if rule.symmetric and not sources and len(targets) >= 2:
        sources, targets = targets[:1], targets[1:]
    if rule.roles == "swapped":
        sources, targets = targets, sources
    if rule.targets == "places":
        draft.locations = [t for t in targets if t.startswith(("place:", "country:"))]
        targets = [t for t in targets if t not in draft.locations] or draft.locations[:1]
    draft.sources = list(dict.fromkeys(sources))
    draft.targets = [t for t in dict.fromkeys(targets) if t not in draft.sources]
    draft.locations += [p for p in places if p not in draft.locations]
    draft.mutual = (len(draft.sources) == 2 and not draft.targets and draft.type in lexicon().data.types.mutual
                    and _done_by_a_pair(draft.trigger))  # fmt: skip
    if any(not t.startswith("place:") for t in draft.targets):  # "killed 14 villagers in Segou": where
        draft.locations += [t for t in draft.targets if t.startswith("place:") and t not in draft.locations]
        draft.targets = [t for t in draft.targets if not t.startswith("place:")]


def _done_by_a_pair(token: Token) -> bool:
    """Whether the subject of the trigger's clause is a pair: 'both sides', 'the two armies'."""
    clauses = [token, token.head] if token.dep_ in {"xcomp", "conj"} else [token]
    return any(c.dep_ in SUBJECTS and (names_a_pair(c) or c.lower_ == "both") for v in clauses for c in v.children)


def _placed_thing(noun: Token, rule: TriggerRule) -> bool:
    """Whether the places a verb's object is anchored to ("a protocol in Astana", "the Astana
    format", "an office in Nairobi") are only where the act happened: not when the object is
    an actor ("officials in Kabul"), nor for a trip ("attended a summit in Niamey" went
    there), nor for ground fought over or given up ("retake Aleppo's neighbourhoods")."""
    if rule.mode in TRIPS or rule.type in GROUND or rule.targets == "places":
        return False
    return noun.pos_ == "NOUN" and kind_of(noun) is None


TRIPS = {"visit", "multilateral"}
GROUND = {"FIGHT", "ASSAULT", "RETREAT"}


def _reported_targets(draft: Draft, clause: Token, sources: list[str], resolver: Resolver, history: list[Draft]) -> list[str]:
    """Who a warning is aimed at: the subject of the reported clause ('warned that Chinese
    banks could face sanctions'), never the speaker's own side, unless that clause says the
    speaker's side will hit back ('warned that Russia would retaliate against the bloc'): then
    whom it hits back at."""
    if draft.rule.type == "THREATEN":
        _restrict_or_force(draft, clause)
    lex = lexicon()
    subject, passive = subjects_of(clause, resolver)
    if clause.lemma_.lower() in lex.data.retaliation_verbs or clause.lemma_.lower() in {"impose"}:
        aimed = [e for t in clause.subtree if t.dep_ == "pobj" and t.head.lower_ in {"against", "on"}
                 for e in resolver.resolve(t)]  # fmt: skip
        if clause.lemma_.lower() == "impose" and not aimed:
            return []
        return aimed or _responded_to(subject, sources, history, resolver)
    own = _side(sources, resolver)  # "Russia warned that its troops would advance": not at itself
    return [e for e in subject + passive if e not in own]


def _anaphoric_targets(
    objects: list[Token], sources: list[str], history: list[Draft], any_type: bool = False,
    resolver: Resolver | None = None,
) -> list[str]:
    """'criticised the visit', 'rejected the claim': the parties of the event referred to."""
    lex = lexicon()
    wanted: tuple[str, ...] = ()
    if not any_type:
        anaphoric = lex.data.anaphoric_nouns
        nouns = [o for o in objects if o.pos_ == "NOUN" and o.lower_ in anaphoric]
        if not nouns or any(c.dep_ == "poss" for c in nouns[0].children):
            return []
        wanted = tuple(anaphoric[nouns[0].lower_])
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


def _conjoined_targets(token: Token, sources: list[str], history: list[Draft]) -> list[str]:
    """'accused Helsinki of piracy and demanded the crew's release', 'met Putin and signed 20
    agreements': a second act of the same actors, naming no one, is aimed where the first was."""
    for previous in reversed(history[-4:]):
        carrier = light_verb(previous.trigger)
        if token.head.i in {previous.trigger.i, carrier.i if carrier is not None else -1}:
            return previous.targets if sources and set(previous.sources) == set(sources) else []
    return []


def _side(actors: list[str], resolver: Resolver) -> set[str]:
    """The actors and their countries: whom an act against any of them is against."""
    return set(actors) | {resolver.country_of(e) for e in actors}


def _answered(sources: list[str], history: list[Draft], resolver: Resolver) -> list[str]:
    """'Vietnam denies it has become a hub', 'the United States refused an exemption': a denial
    or refusal that names no one answers the latest demand, accusation or threat against its
    speaker's side among the last six events told."""
    side = _side(sources, resolver)
    statements = lexicon().data.types.statements - {"REJECT", "SUPPORT"}
    for previous in reversed(history[-6:]):
        if previous.type in statements and previous.sources and not side & set(previous.sources):
            if side & _side(previous.targets, resolver):
                return previous.sources
    return []


def _responded_to(subject: list[str], sources: list[str], history: list[Draft], resolver: Resolver) -> list[str]:
    """'warned that Moscow would respond': to the latest act (not a mere statement) against
    Moscow's side, else to the latest statement against it."""
    side = _side(subject, resolver)
    acts = [p for p in history if p.type not in lexicon().data.types.speech_acts]
    for previous in [*reversed(acts), *reversed(history)]:
        if not previous.sources or set(previous.sources) & set(sources):
            continue
        if _side(previous.targets, resolver) & side:
            return previous.sources
    return _anaphoric_targets([], sources, history, any_type=True)


def _restrict_or_force(draft: Draft, clause: Token) -> None:
    words = {t.lemma_.lower() for t in clause.subtree} | {t.lower_ for t in clause.subtree}
    lex = lexicon()
    if words & lex.words.restriction_words:
        draft.mode, draft.cameo = "restrict", lex.data.threat_modes.restrict
    elif words & lex.words.force_words:
        draft.mode, draft.cameo = "force", lex.data.threat_modes.force
