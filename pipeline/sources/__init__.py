"""Stage 1, sources: articles from files, feeds, OPML, URL lists, HTML pages and stdin
(`read`, `formats`, `fetch`), copies recognised (`dedup`), boilerplate cut (`clean`)."""
