"""Every data file loads through its model; a typo names the file and the entry in one line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipeline.data_files import DataFileError, describe, load_data, read_toml
from pipeline.nlp.amounts import FiguresFile
from pipeline.nlp.events.rules_file import EventsFile
from pipeline.nlp.extract import load_rules


def test_data_files_all_load():
    from pipeline.ingest.steps import LanguageDetector

    load_rules()
    assert "en" in LanguageDetector(("en",)).rules.candidates


def _problem(name: str, model, change) -> str:
    raw = read_toml(name)
    change(raw)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(raw)
    return describe(name, caught.value)


def test_data_files_unknown_key_names_file_and_entry():
    def misspell(raw):
        raw["trigger"][11]["requires_fone"] = raw["trigger"][11].pop("requires_phone", True)

    assert _problem("events.toml", EventsFile, misspell) == "events.toml: trigger 12: unknown key 'requires_fone'"


def test_data_files_missing_key_and_bad_value_name_the_entry():
    assert _problem("events.toml", EventsFile, lambda raw: raw["trigger"][2].pop("type")) == (
        "events.toml: trigger 3: missing key 'type'")  # fmt: skip
    message = _problem("events.toml", EventsFile, lambda raw: raw["trigger"][0].update(type="ATTACK"))
    assert message.startswith("events.toml: trigger 1: type: Input should be") and "\n" not in message
    scales = _problem("figures.toml", FiguresFile, lambda raw: raw["scales"].update(million="many"))
    assert scales.startswith("figures.toml: scales: million: Input should be a valid number")


def test_data_files_a_missing_file_is_one_line():
    class Anything(EventsFile):
        pass

    with pytest.raises(DataFileError, match=r"^nowhere\.toml: missing from .*: reinstall newsgraph$"):
        load_data("nowhere.toml", Anything)
