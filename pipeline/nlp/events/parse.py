"""Where the actors of a trigger sit in the dependency parse: subjects (through coordination,
auxiliaries and control verbs), passive agents, possessors of nouns, prepositional objects,
the noun a trigger is counted by, the verb a noun hangs from. Candidates and the argument rules
both read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.nlp.events.lexicon import (
    OBJECTS,
    PASSIVE_SUBJECTS,
    SUBJECTS,
    heads_of,
    lexicon,
    light_verb,
    rule_for,
    verb_forms,
)
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Token


def object_controllers(verb: Token, resolver: Resolver) -> list[str]:
    """'invited Afolabi to visit Niamey', 'forced the rebels to withdraw': the object of the
    verb above does what the clause says (not after 'promised Kyiv to …')."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.lemma_.lower() in lexicon().words.commitment_heads:
        return []
    return [e for c in head.children if c.dep_ == "dobj" and c.i < verb.i for e in resolver.resolve(c)]


def subjects_of(verb: Token, resolver: Resolver, depth: int = 0) -> tuple[list[str], list[str]]:
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
    if sources and verb.lemma_.lower() in lexicon().data.dying_verbs:
        return [], passive + sources  # "21 civilians died": the victims
    if sources or passive or depth > 3 or verb.head.i == verb.i:
        return sources, passive
    head = verb.head
    if (verb.dep_ == "conj" and head.dep_ == "ccomp" and head.head.lemma_.lower() in lexicon().words.reporting_verbs
            and (rule := rule_for(verb)) is not None and rule.type in lexicon().data.types.statements):
        # "Kallas said Iran's help … was unacceptable and urged Tehran …": the parser hangs
        # "urged" on the reported clause; the one who urged is the one who said.
        return subjects_of(head.head, resolver, depth + 1)
    if verb.dep_ in {"conj", "xcomp", "advcl", "acomp"}:
        head_sources, head_passive = subjects_of(verb.head, resolver, depth + 1)
        if verb.dep_ in {"xcomp", "acomp"} and not head_sources and head_passive:
            return head_passive, []  # "Putin is scheduled to visit": the controller
        return head_sources, head_passive if verb.dep_ == "conj" else []
    if verb.dep_ == "relcl" and not has_own_subject(verb) and (found := resolver.resolve(verb.head)):
        return found, []  # not "refugees, whom authorities blame": the refugees are blamed
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "responded by shelling", "By moving …, Washington"
        return subjects_of(verb.head.head, resolver, depth + 1)[0], []
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and (patients := resolver.resolve(verb.head)):
        return sources, patients  # "detainees held since March": held ones
    if verb.dep_ in {"acl", "relcl"} and rule_for(verb.head) is not None:
        return noun_sources(verb.head, resolver), []
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.lemma_.lower() in lexicon().data.document_nouns:
        # "issued a declaration demanding that …": the declaration's author, else its issuer's
        owners = noun_sources(verb.head, resolver)
        issuer = verb.head.head if verb.head.dep_ in {"dobj", "pobj"} else None
        return owners or (subjects_of(issuer, resolver, depth + 1)[0] if issuer is not None else []), []
    return sources, passive


def has_own_subject(verb: Token) -> bool:
    """Whether a clause has a subject other than a relative pronoun: 'a charge officials denied'
    has; 'refugees, whom authorities blame' has; 'the army, which denied it' has not."""
    return any(c.dep_ in SUBJECTS and c.tag_ not in {"WP", "WDT"} for c in verb.children)


def noun_sources(noun: Token, resolver: Resolver) -> list[str]:
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


def participles(noun: Token) -> list[Token]:
    """The past-participle clauses of a noun: 'carried out by Israel' in "strikes carried out by
    Israel on military sites"."""
    return [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"]


def compound_places(noun: Token, resolver: Resolver) -> list[str]:
    """'the Manchester bombing', 'the Paris climate accord': a city or region named before an
    event noun is where it happened, not who did it (a country is: 'a Russian strike')."""
    return [e for c in noun.children if c.dep_ in {"compound", "nmod"}
            for e in resolver.resolve(c) if e.startswith("place:")]  # fmt: skip


def prep_targets(token: Token, preps: tuple[str, ...], resolver: Resolver) -> list[str]:
    targets: list[str] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    targets += resolver.resolve(pobj)
    return targets


def letter_targets(token: Token, resolver: Resolver) -> list[str]:
    """'warned in a letter to Khamenei' / 'in a call with Lutnick': the addressee."""
    targets: list[str] = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in {"in", "during"}:
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.lemma_.lower() in lexicon().words.communication_nouns:
                    targets += prep_targets(noun, ("to", "with"), resolver)
    return targets


def container_of(noun: Token) -> Token:
    """'a package of sanctions', 'a round of talks': the noun the trigger is counted by."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        return noun.head.head
    return noun


def place_targets(token: Token, resolver: Resolver, depth: int = 0) -> list[str]:
    """What an attack hit when it names only where: 'struck a building in Kharkiv', 'strikes
    on military sites near Damascus'."""
    found: list[str] = []
    # "strikes carried out by Israel on military sites near Damascus": the participle's places too
    for node in [token, *(c for c in token.children if c.dep_ in OBJECTS), *participles(token)]:
        for prep in node.children:
            if prep.dep_ == "prep" and prep.lower_ in {"in", "on", "near", "at", "outside"}:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ != "DATE":
                        found += resolver.resolve(pobj) or (place_targets(pobj, resolver, depth + 1) if depth < 1 else [])
    return found


def beneficiaries(token: Token, resolver: Resolver) -> list[str]:
    """Whom aid is for, anywhere in the phrase: 'pledged 1.6 billion yen in security
    assistance for the Philippine Navy'. Reported clauses are left out."""
    found: list[str] = []
    clauses = {t.i for c in token.children if c.dep_ in {"ccomp", "advcl", "relcl", "conj"} for t in c.subtree}
    for node in token.subtree:
        if node.i not in clauses and node.dep_ == "pobj" and node.head.lower_ in {"for", "to"}:
            found += resolver.resolve(node)
    # "approved a €60 million grant to help Moldova buy gas", "pledged loans to support Ukraine"
    holders = [token, token.head] if token.dep_ in OBJECTS else [token]
    for purpose in (c for h in holders for c in h.children if c.dep_ in {"advcl", "xcomp", "acl"}):
        if purpose.lemma_.lower() not in lexicon().data.helping_verbs:
            continue
        if not any(a.dep_ == "aux" and a.lower_ == "to" for a in purpose.children):
            continue
        for child in purpose.children:
            if child.dep_ in OBJECTS:  # "to support Ukraine"
                found += resolver.resolve(child)
            elif child.dep_ == "ccomp":  # "to help Moldova buy gas"
                found += [e for s in child.children if s.dep_ in SUBJECTS for e in resolver.resolve(s)]
    return found


def context_verb(noun: Token) -> Token | None:
    """The verb a noun trigger hangs from through a preposition: 'In a phone call with X,
    Ahn asked …', 'after a phone call with Nauseda'."""
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.lower_ in lexicon().words.context_prepositions:
        verb = noun.head.head
        if verb.pos_ in {"VERB", "AUX"}:
            return verb
    return None


CLAUSE_LINKS = frozenset({"ccomp", "xcomp", "advcl", "conj"})


def clause_anchor(trigger: Token, links: frozenset[str] = CLAUSE_LINKS) -> Token | None:
    """The verb of saying or intending (`intent_heads`) the trigger's clause hangs from, through
    at most three clause links: 'said' in "said it would release the hostages"."""
    heads = lexicon().words.intent_heads
    node = trigger
    for _ in range(3):
        if node.dep_ not in links or node.head.i == node.i:
            return None
        node = node.head
        if verb_forms(node) & heads:
            return node
    return None


def phrase_head(noun: Token) -> Token:
    """The noun whose phrase an event noun speaks through: 'a mediation effort between X and Y',
    'an aid package for Z' (the head names no event of its own); else the noun itself."""
    head = noun.head
    if noun.dep_ == "compound" and head.pos_ == "NOUN" and head.i != noun.i and rule_for(head) is None:
        return head
    return noun


def harmed(token: Token, resolver: Resolver) -> list[str]:
    """'a suicide bomber blew himself up, killing six NATO soldiers': whom the attack killed."""
    harm = lexicon().data.harm_verbs
    nodes = [token] + ([carrier] if token.pos_ != "VERB" and (carrier := light_verb(token)) is not None else [])
    return [e for node in nodes for verb in node.children if verb.dep_ in {"advcl", "xcomp", "conj"}
            and verb.tag_ == "VBG" and verb.lemma_.lower() in harm
            for obj in heads_of(verb, OBJECTS) for e in resolver.resolve(obj)]  # fmt: skip
