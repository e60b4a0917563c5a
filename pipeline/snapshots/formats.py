"""The snapshot formats and the file names that go with them, shared by the writers, the
loader and the CLI (which takes the format from the name when `--format` is absent).

Kept free of heavy imports: the CLI reads it to check options before any work starts.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError, UsageError

FORMATS = ("graphml", "gexf", "json", "cytoscape", "cypher", "neo4j-csv", "html")
FILE_FORMATS = tuple(f for f in FORMATS if f != "neo4j-csv")
LOADABLE = ("json", "cytoscape", "graphml", "gexf")
# The suffix each format writes first; further ones it accepts (networkx and yEd write .xml).
SUFFIXES = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json", "cytoscape": ".cyjs",
            "cypher": ".cypher", "neo4j-csv": "", "html": ".html"}  # fmt: skip
ALSO = {"graphml": (".xml",)}
FORMAT_OF = {suffix: fmt for fmt in FILE_FORMATS for suffix in (SUFFIXES[fmt], *ALSO.get(fmt, ()))}


def suffixes_of(fmt: str) -> tuple[str, ...]:
    return (SUFFIXES[fmt], *ALSO.get(fmt, ()))


def _names(fmt: str) -> str:
    return " or ".join(suffixes_of(fmt))


def export_format(output: str, given: str | None) -> str:
    """The format of an export to `output`: `given`, which the name must not contradict, else
    the one its suffix names; a directory (existing, or a name ending in /) is neo4j-csv."""
    path = Path(output)
    suffix = path.suffix.lower()
    directory = output.endswith(("/", "\\")) or path.is_dir()
    if given is None:
        if directory:
            return "neo4j-csv"
        if suffix in FORMAT_OF:
            return FORMAT_OF[suffix]
        known = ", ".join(f"{s} ({f})" for s, f in FORMAT_OF.items())
        raise UsageError(f"-o {output}: cannot tell the format from {path.name!r}: name it {known}, "
                         f"or a directory for neo4j-csv, or pass --format")  # fmt: skip
    if given == "neo4j-csv":
        if suffix in FORMAT_OF:
            raise UsageError(f"-o {output}: neo4j-csv writes a directory, and {path.name!r} is named like a "
                             f"{FORMAT_OF[suffix]} file: pass --format {FORMAT_OF[suffix]}, or a directory")  # fmt: skip
        return given
    if directory or suffix not in suffixes_of(given) and not _is_device(path):
        hint = f"-o {path.with_suffix(SUFFIXES[given]).name}" if path.name else f"a {SUFFIXES[given]} name"
        hint += f", or --format {FORMAT_OF[suffix]}" if suffix in FORMAT_OF else ""
        raise UsageError(f"-o {output}: a {given} export is named {_names(given)}, so that `newsgraph load` "
                         f"and other tools read it as {given}: use {hint}")  # fmt: skip
    return given


def _is_device(path: Path) -> bool:
    """/dev/stdout, a named pipe: written as they are, whatever their name."""
    return path.exists() and not path.is_file() and not path.is_dir()


def load_format(path: Path) -> str:
    """The format of a snapshot file to load, from its suffix; a clear error otherwise."""
    suffix = path.suffix.lower()
    fmt = FORMAT_OF.get(suffix)
    if fmt is not None and fmt in LOADABLE:
        return fmt
    readable = ", ".join(f"{_names(f)} ({f})" for f in LOADABLE)
    hint = " Cytoscape snapshots are named .cyjs." if "cytoscape" in suffix or "cyto" in suffix else ""
    raise InputError(str(path), f"cannot load a {suffix or 'suffix-less'} file: load reads {readable}, the names "
                                f"newsgraph export gives them; export with --format {', '.join(LOADABLE)}.{hint}")  # fmt: skip
