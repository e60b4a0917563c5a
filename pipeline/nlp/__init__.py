"""Stage 2, NLP: spaCy parses each cleaned document once (`model`); entities, events,
figures, dates and relations are read off the parse (`extract` runs them in order) and leave
this stage as one `ExtractionResult`."""
