"""PLOVER events from the dependency parse.

    lexicon    the trigger rules and word lists of `data/events.toml`
    roles      who did it to whom: the argument rules
    status     happened, planned or negated; and when
    assemble   drafts to events, one per source-target pair, with stable ids
"""

from pipeline.nlp.events.assemble import extract_events

__all__ = ["extract_events"]
