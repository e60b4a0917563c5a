"""`python -m pipeline.cli`: the newsgraph command."""

from pipeline.cli import main

main()
