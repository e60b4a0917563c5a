"""Stage 3, graph: the schema every store and export shares (`schema`) and the typed graph
of one article built from its extraction (`build`)."""
