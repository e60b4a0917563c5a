"""Triggers that tell no act of their own: a reference back to one told before ("the visit"),
what is warded off ("averted a strike"), an act remembered ("the anniversary of the
invasion"), an attack on a price or a pitch ("traders attacked the rupee"), what has happened
before ("the two sides have clashed before"), keeping silent ("declined to comment"), what a
condition names ("unless the president agrees"), and what a threat threatens or a demand
demands ("urged both sides to agree to a ceasefire")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.nlp.amounts import names_a_currency
from pipeline.nlp.events.lexicon import heads_of, lexicon, rule_for

if TYPE_CHECKING:
    from spacy.tokens import Token


def tells_no_act(token: Token, event_type: str) -> bool:
    """Whether a typed trigger names no new act of `event_type`."""
    return (_refers_back(token) or _averted(token) or _remembered(token) or _no_comment(token, event_type)
            or _conditional(token) or _inside_speech_act(token) or _figurative(token, event_type)
            or _happened_before(token))  # fmt: skip


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


def _averted(noun: Token) -> bool:
    """'tries to head off steeper tariffs', 'averted a strike': what is warded off does not happen."""
    return (noun.pos_ != "VERB" and noun.dep_ in {"dobj", "pobj"}
            and (noun.head if noun.dep_ == "dobj" else noun.head.head).lemma_.lower() in lexicon().data.averting_verbs)  # fmt: skip


def _remembered(noun: Token) -> bool:
    """'two days before the second anniversary of the invasion': an act remembered is no new one."""
    return (noun.pos_ != "VERB" and noun.dep_ == "pobj" and noun.head.lower_ == "of"
            and noun.head.head.lemma_.lower() in lexicon().data.remembrance_nouns)  # fmt: skip


def _figurative(token: Token, event_type: str) -> bool:
    """'Currency traders attacked the quetzal', 'an attack on the lira', 'fans stormed the
    pitch': what is hit is a price or a game."""
    if event_type not in {"FIGHT", "ASSAULT"}:
        return False
    hit = heads_of(token, {"dobj"})
    hit += [o for p in token.children if p.dep_ == "prep" and p.lower_ in {"on", "against"}
            for o in p.children if o.dep_ == "pobj" and o.ent_type_ not in {"DATE", "TIME"}]  # not "on Monday"
    words = lexicon().data.figurative_targets
    return bool(hit) and all(h.lower_ in words or h.lemma_.lower() in words or names_a_currency(h.text) for h in hit)


def _happened_before(token: Token) -> bool:
    """'The two sides have clashed before', 'they had met before': what has happened at some
    time before is background, not an act of the story."""
    return token.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ == "before" and c.n_lefts + c.n_rights == 0 for c in token.children)


def _conditional(token: Token) -> bool:
    """'will boycott unless the president agrees to step down', 'would meet him if he gave
    them a veto': what a condition names has not happened and may never."""
    for node in (token, *token.ancestors):
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in node.children):
            return True
        if node.dep_ in {"relcl", "appos"}:
            return False  # "if Russia, which attacked Ukraine in 2022, invades again": the attack is a fact
    return False


def _no_comment(token: Token, event_type: str) -> bool:
    """'declined to comment', 'refused to elaborate': keeping silent rejects no one."""
    silent = lexicon().data.silent_verbs
    return event_type == "REJECT" and any(c.dep_ == "xcomp" and c.lemma_.lower() in silent for c in token.children)


def _inside_speech_act(token: Token) -> bool:
    """A trigger inside what a threat threatens or a demand demands ('warned that banks could
    face sanctions', 'urged both sides to agree to a ceasefire', 'its demand that Israel ease
    restrictions') is part of that speech act."""
    child, below, asserted = token, token, False
    for ancestor in token.ancestors:
        clause = child.dep_ in {"ccomp", "xcomp"} or (child.dep_ == "acl" and ancestor.pos_ == "NOUN")
        if clause and (rule := rule_for(ancestor)) and rule.speech_act:
            return True
        # "accused the US of restoring the blackmail in the negotiations": what is alleged,
        # unless told as a fact of its own ("…, an accusation Moroccan officials rejected")
        asserted |= child.dep_ in {"relcl", "appos"}
        alleged = child.dep_ == "prep" and child.lower_ in {"of", "for"} and below.dep_ == "pcomp"
        if alleged and not asserted and (rule := rule_for(ancestor)) and rule.type == "DISAPPROVE":
            return True
        child, below = ancestor, child
    return False
