"""Whose clause a date is told of: the trigger's own, a conjoined clause that lends it ("arrived
in Moscow and held talks with Putin on Tuesday"), or another ("condemned air strikes carried out
by Israel on Monday", "agreed to swap detained guards on Thursday")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.nlp.events.lexicon import PASSIVE_SUBJECTS, SUBJECTS, lexicon, names_an_event

if TYPE_CHECKING:
    from spacy.tokens import Token


CLAUSE_MODIFIERS = {"relcl", "acl"}


def clause_told(ent: Any, token: Token, verb: Token) -> str | None:
    """Whether a date is told of another clause than the trigger's. "another": "did not
    congratulate Biya, who has ruled since 1982", "condemned air strikes carried out by Israel
    on Monday", "arrested 37 people, and on Monday the government restricted …", or, for a
    trigger inside a relative clause ("the NUG, which blamed the military"), any date outside
    it. "conjoined": a date at the end of a conjoined clause, which dates the trigger only when
    its own clause has none ("arrived in Moscow and held talks with Putin on Tuesday")."""
    own = {token.i, verb.i}
    embedded = False  # under a clause of its own ("called on Berlin to end them by the spring")
    below = None
    for node in [ent.root, *ent.root.ancestors]:
        if node.i in own:
            # "agreed to swap detained guards on Thursday": the swap's day, not the agreement's
            return "another" if below is not None and _complement(below, token) else None
        if node.is_ancestor(token) or node.is_ancestor(verb):
            path = _path_up(verb, node)
            if embedded or any(_of_another_time(clause) for clause in path):
                return "another"  # "said he would meet them on Thursday and urged them …"
            if any(_own_conjunct(clause) for clause in path):
                # "marched on Monday, and police detained 14": then, unless told; not from a
                # state ("debt stood at … at the end of March, and the IMF has urged …")
                return "conjoined" if names_an_event(node) else "another"
            break
        if node.dep_ in CLAUSE_MODIFIERS and node.head.i not in own:
            return "another"
        if node.dep_ == "conj" and node.pos_ in {"VERB", "AUX"}:
            if ent.start < node.i or embedded or _has_subject(node):
                return "another"  # "… accused Turkey, and the ministry suspended imports on Tuesday"
            return "conjoined"
        embedded |= node.dep_ in {"xcomp", "ccomp", "advcl"}
        below = node
    relative = next((a for a in [verb, *verb.ancestors] if a.dep_ == "relcl"), None)
    if (
        relative is None
        or relative.head.dep_ not in {"pobj", "appos", "dobj"}  # "…, an allegation the army denied"
        or any(c.lower_ in {"where", "when"} for c in relative.children)
    ):
        return None  # "hosted Ishiba on Tuesday, where the two leaders signed …": then, too
    return None if ent.root.i == relative.i or relative.is_ancestor(ent.root) else "another"


def _complement(clause: Token, token: Token) -> bool:
    """A verb clause that is what the trigger verb says, agrees or asks to happen (not what is
    planned of the trigger: "talks are expected to resume in October")."""
    return (clause.dep_ in {"xcomp", "ccomp"} and clause.pos_ in {"VERB", "AUX"} and clause.head.i == token.i
            and token.lemma_.lower() not in lexicon().words.plan_heads)  # fmt: skip


def _path_up(verb: Token, top: Token) -> list[Token]:
    """The trigger's verb and its heads, up to but not including `top`."""
    path, node = [], verb
    while node.i != top.i and node.head.i != node.i:
        path.append(node)
        node = node.head
    return path


def _of_another_time(clause: Token) -> bool:
    """'entered its sixth day on Tuesday after the union rejected the offer': an after/before clause."""
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in OTHER_TIME for c in clause.children)


OTHER_TIME = {"after", "before", "since", "until", "once"}


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in SUBJECTS | PASSIVE_SUBJECTS for c in verb.children)


def _own_conjunct(clause: Token) -> bool:
    """A conjoined clause with a subject of its own ("…, and the committee called on Ankara")."""
    return clause.dep_ == "conj" and clause.pos_ in {"VERB", "AUX"} and _has_subject(clause)
