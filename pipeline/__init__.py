"""newsgraph's stages, in the order the data flows through them.

    sources    read articles from files, feeds, pages and URLs; clean their boilerplate
    nlp        parse with spaCy; extract entities, events, figures, dates and relations
    graph      the graph schema, and one typed graph per article
    store      write and query: one interface, one module per backend (LadybugDB, Neo4j)
    ingest     the batch job that runs them all, resumable, on one or many processes
    snapshots  exports, slices, loading, diffs, analytics and the HTML view
    cli        the `newsgraph` command

A stage imports only from the stages above it in this list (and from `models`, `errors`,
`data_files`); `tests/test_layers.py` holds the code to that.
"""
