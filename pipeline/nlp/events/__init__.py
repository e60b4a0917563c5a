"""PLOVER events from the dependency parse."""

from pipeline.nlp.events.rules import extract_events

__all__ = ["extract_events"]
