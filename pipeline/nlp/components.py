"""The spaCy components newsgraph adds to the pipeline, and the Doc extensions it reads.

Components, in pipeline order:
- `newsgraph_paragraphs` (before the parser): a line break always starts a sentence;
- `newsgraph_entity_repair` (after the NER): the organisations and outlets `data/actors.toml`
  lists are found wherever they are written (the NER cuts "Islamic State" to "Islamic"), names
  cut at a particle are joined, a date that swallowed a name gives it back, a country typed as a
  product or a facility becomes a place, and bare surnames, cities and countries that the NER
  missed become entities. Nothing after this component changes `doc.ents`.

Extensions (`doc._.…`), filled lazily by the stages that read them:
- `newsgraph_sentences`: (sentence starts, sentences), for `model.sentence_of`;
- `newsgraph_ents`: the final entity spans, for `model.sentence_ents`;
- `newsgraph_rules`: the event trigger rule of each token, memoised by `events.lexicon`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from spacy.language import Language
    from spacy.tokens import Doc

PARAGRAPHS = "newsgraph_paragraphs"
ENTITY_REPAIR = "newsgraph_entity_repair"
EXTENSIONS = ("newsgraph_sentences", "newsgraph_ents", "newsgraph_rules")


def paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every line break: news paragraphs never share a sentence."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if not token.is_space and previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
        elif token.is_space and "\n" in token.text and not previous.is_space:
            token.is_sent_start = False
    return doc


def entity_repair(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """The repair component; its phrase matcher is built once, with the pipeline's tokenizer."""
    from pipeline.nlp.mentions import add_listed_names, add_missed_mentions, listed_names_matcher, repair_spans

    matcher = listed_names_matcher(nlp)

    def repair(doc: Doc) -> Doc:
        add_listed_names(doc, matcher)
        repair_spans(doc)
        add_missed_mentions(doc)
        return doc

    return repair


def register() -> None:
    """Register the components and extensions once per process."""
    from spacy.language import Language
    from spacy.tokens import Doc

    if PARAGRAPHS not in Language.factories:
        Language.component(PARAGRAPHS, func=paragraph_starts)
    if ENTITY_REPAIR not in Language.factories:
        Language.factory(ENTITY_REPAIR, func=entity_repair)
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
