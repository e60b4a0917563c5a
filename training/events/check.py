"""Validate event training files and print what they hold.

usage: python training/events/check.py training/events/*.jsonl
Exit status 1 when any line is invalid; each problem is printed as FILE:LINE: message.
"""

from __future__ import annotations

import collections
import json
import re
import sys

TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
    "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
    "FIGHT", "ASSAULT",
}  # fmt: skip
STYLES = {"wire", "analysis", "headline", "quote", "passive", "nominal", "coordinated", "brief", "feature"}
RECORD_KEYS = {"id", "style", "context", "text", "events", "note"}
EVENT_KEYS = {"type", "trigger", "trigger_index", "source", "target", "status"}
STATUSES = {"happened", "planned", "negated"}


def occurrences(text: str, word: str) -> list[int]:
    """Start offsets of `word` in `text` as a whole word (or phrase)."""
    pattern = r"(?<!\w)" + re.escape(word) + r"(?!\w)"
    return [m.start() for m in re.finditer(pattern, text)]


def check_record(record: object) -> list[str]:
    if not isinstance(record, dict):
        return ["a line must be a JSON object"]
    problems = [f"unknown key {key!r}" for key in record if key not in RECORD_KEYS]
    for key in ("id", "style", "text", "events"):
        if key not in record:
            problems.append(f"missing key {key!r}")
    if problems:
        return problems
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        return ["text must be a non-empty string"]
    if record["style"] not in STYLES:
        problems.append(f"style {record['style']!r} is not one of {sorted(STYLES)}")
    if not isinstance(record["events"], list):
        return problems + ["events must be a list"]
    for number, event in enumerate(record["events"]):
        where = f"event {number}"
        if not isinstance(event, dict):
            problems.append(f"{where}: must be an object")
            continue
        problems += [f"{where}: unknown key {k!r}" for k in event if k not in EVENT_KEYS]
        if event.get("type") not in TYPES:
            problems.append(f"{where}: type {event.get('type')!r} is not a PLOVER type")
        if event.get("status", "happened") not in STATUSES:
            problems.append(f"{where}: status {event.get('status')!r} is not one of {sorted(STATUSES)}")
        trigger = event.get("trigger")
        if not isinstance(trigger, str) or not trigger:
            problems.append(f"{where}: trigger must be a non-empty string")
        else:
            found = occurrences(text, trigger)
            index = event.get("trigger_index")
            if not found:
                problems.append(f"{where}: trigger {trigger!r} is not a word of the text")
            elif index is None and len(found) > 1:
                problems.append(f"{where}: trigger {trigger!r} occurs {len(found)} times: add trigger_index")
            elif index is not None and not (isinstance(index, int) and 0 <= index < len(found)):
                problems.append(f"{where}: trigger_index {index!r} out of range (0..{len(found) - 1})")
        for role in ("source", "target"):
            spans = event.get(role, [])
            if not isinstance(spans, list):
                problems.append(f"{where}: {role} must be a list of strings")
                continue
            for span in spans:
                if not isinstance(span, str) or not span or span not in text:
                    problems.append(f"{where}: {role} {span!r} is not a substring of the text")
    return problems


def main(paths: list[str]) -> int:
    seen: dict[str, str] = {}
    by_type: collections.Counter[str] = collections.Counter()
    styles: collections.Counter[str] = collections.Counter()
    triggers: dict[str, set[str]] = collections.defaultdict(set)
    sentences = negatives = bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    print(f"{path}:{line_number}: not JSON: {exc}")
                    bad += 1
                    continue
                problems = check_record(record)
                if isinstance(record, dict) and "id" in record:
                    if record["id"] in seen:
                        problems.append(f"id {record['id']!r} already used at {seen[record['id']]}")
                    seen[record["id"]] = f"{path}:{line_number}"
                for problem in problems:
                    print(f"{path}:{line_number}: {problem}")
                if problems:
                    bad += 1
                    continue
                sentences += 1
                styles[record["style"]] += 1
                if not record["events"]:
                    negatives += 1
                for event in record["events"]:
                    by_type[event["type"]] += 1
                    triggers[event["type"]].add(event["trigger"].lower())
    print(f"{sentences} valid sentences, {negatives} without events, {bad} invalid lines")
    print("styles: " + ", ".join(f"{k} {v}" for k, v in sorted(styles.items())))
    for event_type in sorted(TYPES):
        print(f"  {event_type:12} {by_type[event_type]:5} events, {len(triggers[event_type]):4} distinct triggers")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
