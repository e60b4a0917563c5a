"""PLOVER events from the dependency parse, in the order a sentence goes through them.

    rules_file  the schema of `data/events.toml` (trigger rules, defaults, word lists)
    lexicon     the trigger rules indexed by lemma: the prior, read as features
    parse       where actors sit in the parse: subjects, objects, possessors, prepositions
    candidates  every clause or event noun with an actor, its actors by slot
    features    what the classifier sees of a candidate
    classifier  the trained model (`data/events-model.npz`): a PLOVER type or none, and P
    roles       who did it to whom: the argument rules
    attacks     an ASSAULT or a FIGHT, from what a strike hit
    status      happened, planned or negated
    when        the date: its own clause's, the act last told's ("two days later"), or publication
    clauses     whose clause a date is told of: the trigger's own, a conjoined one's, or another's
    draft       an event on its way: trigger, rule, actors
    no_act      triggers that tell no act of their own: "the visit", "unless …", "declined to comment"
    assemble    candidates to events, one per source-target pair, with stable ids
    corpus      the training corpus format (`training/events/*.jsonl`)
    training    `make model`: the corpus to a model file, deterministically
"""

from pipeline.nlp.events.assemble import extract_events

__all__ = ["extract_events"]
