"""The batch ingest job: read, screen, deduplicate, extract, build graphs, write; resumable
after a kill, on one process, N worker processes or a Dask cluster."""
