"""What the classifier sees of a candidate: named binary features of the trigger, its place in
the parse, its actors by slot, modality, and the lexicon's verdict, plus dense word vectors.

Feature names are plain strings ("l=shell", "rule=FIGHT", "o.sector=CVL"); the model file maps
them to weights, so a feature never seen in training simply weighs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pipeline.nlp import vectors
from pipeline.nlp.events.candidates import Candidate
from pipeline.nlp.events.lexicon import OBJECTS, SUBJECTS, heads_of, lexicon, rule_for
from pipeline.nlp.resolve import Resolver

if TYPE_CHECKING:
    from spacy.tokens import Token

CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "pcomp"}


def _actor_kind(entity_id: str, resolver: Resolver) -> str:
    entity = resolver.entities.get(entity_id)
    if entity is None:
        return "country" if entity_id.startswith("country:") else "other"
    if entity.type == "AGENT":
        return f"agent.{entity.attributes.get('sector', '')}"
    if entity.type == "GPE" and entity.attributes.get("iso"):
        return "country"
    return entity.type


def _ancestry(token: Token) -> list[str]:
    """The clauses the trigger sits in, nearest first: 'up.xcomp=threaten' for 'threatened to
    impose', 'up.ccomp=say' for a reported clause, 'up.advcl.if' for a condition."""
    found: list[str] = []
    node = token
    for _ in range(3):
        if node.head.i == node.i:
            break
        if node.dep_ in CLAUSE_DEPS:
            head = node.head
            found.append(f"up.{node.dep_}={head.lemma_.lower()}")
            if (rule := rule_for(head)) is not None:
                found.append(f"up.{node.dep_}.rule={rule.type}")
                if rule.speech_act:
                    found.append("up.speech_act")
            if node.dep_ == "advcl" and any(c.lower_ in {"if", "unless"} for c in node.children):
                found.append("up.advcl.if")
        node = node.head
    return found


def _modality(token: Token) -> list[str]:
    words = lexicon().words
    found = []
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in {"never", "not", "n't"}:
            found.append("neg")
        elif child.dep_ in {"aux", "auxpass"}:
            found.append(f"aux={child.lower_}")
            if child.lower_ in words.future_auxiliaries:
                found.append("aux.future")
        elif child.dep_ == "det" and child.lower_ == "no":
            found.append("det=no")
        elif child.dep_ == "mark":
            found.append(f"mark={child.lower_}")
    if token.head.lemma_.lower() in words.plan_heads:
        found.append("plan_head")
    if any(c.lower_ in words.plan_modifiers for c in token.children):
        found.append("plan_modifier")
    return found


DENSE = 3 * vectors.DIMENSIONS  # the trigger's word vector, its object's, its subject's or carrier's


def dense(candidate: Candidate) -> np.ndarray:
    """Word vectors of the trigger, of its object and of its subject (for a noun: of the verb
    it hangs from), so that words unseen in training land near those seen."""
    token = candidate.token
    out = np.zeros(DENSE)
    parts = [token, next(iter(heads_of(token, OBJECTS | {"pobj"})), None),
             candidate.carrier or next(iter(heads_of(token, SUBJECTS)), None)]
    for slot, word in enumerate(parts):
        if word is not None and (found := vectors.vector(word.lower_, word.lemma_)) is not None:
            out[slot * vectors.DIMENSIONS : (slot + 1) * vectors.DIMENSIONS] = found
    return out


def features(candidate: Candidate, resolver: Resolver) -> list[str]:
    """The named features of one candidate."""
    token = candidate.token
    lemma, lower = token.lemma_.lower(), token.lower_
    found = [f"k={candidate.kind}", f"l={lemma}", f"w={lower}", f"d={token.dep_}", f"t={token.tag_}",
             f"sfx={lemma[-3:]}", f"h={token.head.lemma_.lower()}", f"d|h={token.dep_}|{token.head.lemma_.lower()}"]  # fmt: skip
    lex = lexicon()
    rule = rule_for(token)
    if rule is not None:
        found += [f"rule={rule.type}", f"rule={rule.type}/{rule.mode}"]
    for listed in lex.triggers.get(lemma, []):
        found.append(f"lex={listed.type}")
    if candidate.carrier is not None:
        found += [f"carrier={candidate.carrier.lemma_.lower()}", f"l|carrier={lemma}|{candidate.carrier.lemma_.lower()}"]
    if not candidate.slots:
        found.append("no_actor")
    for slot, ids in candidate.slots.items():
        found.append(f"slot={slot}")
        for entity_id in ids[:2]:
            kind = _actor_kind(entity_id, resolver)
            found += [f"{slot}.kind={kind}", f"l|{slot}.kind={lemma}|{kind}"]
    for child in token.children:
        dep = child.dep_
        if dep in OBJECTS:
            found += ["has_obj", f"o.l={child.lemma_.lower()}", f"l|o.l={lemma}|{child.lemma_.lower()}"]
        elif dep in SUBJECTS:
            found.append(f"s.l={child.lemma_.lower()}")
            if child.pos_ == "PRON":
                found.append("s.pron")
        elif dep == "prep":
            found += [f"prep={child.lower_}", f"l|prep={lemma}|{child.lower_}"]
        elif dep in {"ccomp", "xcomp"}:
            found += [f"child.{dep}", f"child.{dep}={child.lemma_.lower()}"]
    found += _modality(token) + _ancestry(token)
    doc = token.doc
    if token.i > 0:
        found.append(f"w-1={doc[token.i - 1].lower_}")
    if token.i + 1 < len(doc):
        found.append(f"w+1={doc[token.i + 1].lower_}")
    if token.is_title and token.i > 0 and not doc[token.i - 1].is_sent_start:
        found.append("titlecase")
    return found
