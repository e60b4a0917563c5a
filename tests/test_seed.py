"""The client's seed article, end to end on the real spaCy model."""

from __future__ import annotations

from pipeline.sources.clean import boilerplate_spans
from tests.conftest import SEED

BOILERPLATE = ["본문 바로가기", "bar_progress", "Text Size", "Close", "Image source", "Yonhap",
               "Asia Business Daily", "Special Coverage", "Join us on social", "Top"]  # fmt: skip


def _by_type(result, entity_type):
    return {e.name: e for e in result.entities if e.type == entity_type}


def test_seed_people_have_canonical_names_without_titles(seed_result):
    people = _by_type(seed_result, "PERSON")
    assert set(people) == {"Vladimir Putin", "Xi Jinping", "Janet Yellen", "Sergey Lavrov", "Alexander Isakov"}
    assert people["Janet Yellen"].attributes["title"] == "Treasury Secretary"
    assert people["Sergey Lavrov"].attributes["title"] == "Foreign Minister"
    assert "Putin" in people["Vladimir Putin"].aliases
    assert "Xi" in people["Xi Jinping"].aliases


def test_seed_countries_have_iso_codes_and_cities_link_to_them(seed_result):
    places = _by_type(seed_result, "GPE")
    isos = {name: e.attributes.get("iso") for name, e in places.items()}
    for name, iso in {"China": "CN", "Russia": "RU", "United States": "US", "Ukraine": "UA", "Turkey": "TR"}.items():
        assert isos[name] == iso
    assert places["Beijing"].attributes["country"] == "CN"
    assert _by_type(seed_result, "NORP")["Chinese"].attributes["country"] == "CN"


def test_seed_organisations_merge_aliases_and_repair_outlets(seed_result):
    orgs = _by_type(seed_result, "ORG")
    assert {"Bloomberg News", "Bloomberg Economics", "General Administration of Customs of China",
            "U.S. Treasury Department", "Russian Foreign Ministry"} <= set(orgs)  # fmt: skip
    assert "U.S. Treasury" in orgs["U.S. Treasury Department"].aliases
    assert "Bloomberg" not in {e.name for e in seed_result.entities if e.type == "GPE"}


def test_seed_nothing_comes_from_boilerplate(seed_result):
    text = SEED.read_text(encoding="utf-8")
    removed = boilerplate_spans(text, seed_result.article.title)
    for entity in seed_result.entities:
        assert not any(word.casefold() == entity.name.casefold() for word in BOILERPLATE)
        for mention in entity.mentions:
            if mention.field == "text":
                assert not any(s <= mention.start < e for s, e in removed), mention
    for item in list(seed_result.events) + list(seed_result.figures):
        assert "Image source" not in item.sentence.text and "©" not in item.sentence.text


def test_seed_mentions_point_at_their_text(seed_result):
    article_text = SEED.read_text(encoding="utf-8")
    for entity in seed_result.entities:
        for mention in entity.mentions:
            source = seed_result.article.title if mention.field == "title" else article_text
            assert source[mention.start : mention.end] == mention.text


def test_seed_one_id_per_actor(seed_result):
    ids = [e.id for e in seed_result.entities]
    names = [(e.name, e.type) for e in seed_result.entities]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))


def _events(result):
    names = {e.id: e.name for e in result.entities}
    found = set()
    for event in result.events:
        sources = tuple(sorted(names[p.entity_id] for p in event.participants if p.role == "source"))
        targets = tuple(sorted(names[p.entity_id] for p in event.participants if p.role == "target"))
        found.add((event.type, event.mode, sources, targets, event.date, event.status))
    return found


def test_seed_events(seed_result):
    events = _events(seed_result)
    expected = {
        ("CONSULT", "visit", ("Vladimir Putin",), ("China",), "2024-05", "planned"),
        ("CONSULT", "meet", ("Vladimir Putin",), ("Xi Jinping",), "2023-10", "happened"),
        ("CONSULT", "visit", ("Sergey Lavrov",), ("Beijing",), "2024-04-09", "happened"),
        ("CONSULT", "meet", ("Sergey Lavrov",), ("Xi Jinping",), "2024-04-09", "happened"),
        ("CONSULT", "visit", ("Janet Yellen",), ("China",), "2024-04", "happened"),
        # "Chinese banks" are China's business sector, an agent; "banks" in the next sentence
        # are taken to be the same banks
        ("THREATEN", "restrict", ("Janet Yellen",), ("Chinese business",), "2024-04", "happened"),
        ("SANCTION", "sanctions", ("U.S. Treasury Department",), ("Chinese business",), "2023-12", "happened"),
    }
    assert expected <= events


def test_seed_events_carry_evidence(seed_result):
    text = SEED.read_text(encoding="utf-8")
    for event in seed_result.events:
        source = seed_result.article.title if event.sentence.field == "title" else text
        assert source[event.sentence.start : event.sentence.end].strip() == event.sentence.text
        trigger_source = seed_result.article.title if event.trigger.field == "title" else text
        assert trigger_source[event.trigger.start : event.trigger.end] == event.trigger.text
        assert 0 < event.confidence <= 1


def test_seed_figures(seed_result):
    figures = {(f.value, f.unit): f for f in seed_result.figures}
    assert figures[(16.0, "percent")].direction == "decrease"
    assert figures[(16.0, "percent")].metric == "exports"
    assert figures[(16.0, "percent")].period == "2024-03"
    assert figures[(16.0, "percent")].basis == "year-over-year"
    assert figures[(240e9, "USD")].metric == "trade volume"
    assert figures[(26.0, "percent")].direction == "increase"
    assert figures[(18.0, "percent")].metric == "total imports"
    assert figures[(18.0, "percent")].direction == "decrease"
    assert (3.33576e14, "KRW") in figures
    names = {e.id: e.name for e in seed_result.entities}
    assert [names[i] for i in figures[(16.0, "percent")].entity_ids] == ["China", "Russia"]


def test_seed_relations_roles_and_attribution(seed_result):
    names = {e.id: e.name for e in seed_result.entities}
    roles = {(names[r.source_id], names[r.target_id], r.attributes.get("role"))
             for r in seed_result.relations if r.type == "AFFILIATED_WITH"}  # fmt: skip
    assert ("Janet Yellen", "United States", "Treasury Secretary") in roles
    assert ("Sergey Lavrov", "Russia", "Foreign Minister") in roles
    assert ("Alexander Isakov", "Bloomberg Economics", "Russia economist") in roles  # "a Russia economist at"
    assert "Bloomberg News" in {names[c] for c in seed_result.citations}
    met = [r for r in seed_result.relations if r.type == "MET"]
    assert {(names[r.source_id], names[r.target_id], r.date) for r in met} >= {
        ("Sergey Lavrov", "Xi Jinping", "2024-04-09"), ("Vladimir Putin", "Xi Jinping", "2023-10")}
    assert all(r.event_id for r in met)
    speakers = {names.get(q.speaker_id) for q in seed_result.quotes}
    assert "Alexander Isakov" in speakers
