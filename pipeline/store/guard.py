"""Which statements of a user's `query` reach outside the graph: files, extensions, other
databases, the network.

LadybugDB has no switch that turns file and network access off (its settings are thread
counts, timeouts, search paths), and a read-only database still runs `LOAD FROM '/etc/passwd'`,
`COPY (…) TO 'file'` and `INSTALL httpfs`, and `LOAD FROM df` reads a Python variable of the
calling process. So `query` refuses them unless it is given `--write`: the statement is
scanned the way LadybugDB's lexer reads it (comments, string literals and back-quoted names
are skipped, so `WHERE n.name = 'LOAD FROM'` is fine) and refused when a clause keyword that
reaches outside is left. Neo4j enforces read-only itself (read transactions); there `LOAD CSV`,
which makes the server read files or fetch URLs, is refused the same way.
"""

from __future__ import annotations

import re

from pipeline.errors import StoreError

# Clause keywords that start a statement reaching outside the graph.
LADYBUG_EXTERNAL = ("LOAD", "COPY", "INSTALL", "UNINSTALL", "ATTACH", "DETACH", "EXPORT", "IMPORT")
NEO4J_EXTERNAL = ("LOAD",)

_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def code_words(statement: str) -> list[str]:
    """The words of `statement` outside comments (`//…`, `/*…*/`), string literals ('…', "…",
    with backslash escapes) and back-quoted names, upper-cased, in order."""
    words: list[str] = []
    i, n = 0, len(statement)
    while i < n:
        c = statement[i]
        if statement.startswith("//", i):
            end = statement.find("\n", i)
            i = n if end < 0 else end + 1
        elif statement.startswith("/*", i):
            end = statement.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c in "'\"":
            i += 1
            while i < n and statement[i] != c:
                i += 2 if statement[i] == "\\" else 1
            i += 1
        elif c == "`":
            end = statement.find("`", i + 1)
            i = n if end < 0 else end + 1
        elif c.isalpha() or c == "_":
            match = _WORD.match(statement, i)
            assert match is not None
            words.append(match.group().upper())
            i = match.end()
        else:
            i += 1
    return words


def external_clause(statement: str, keywords: tuple[str, ...]) -> str | None:
    """The first keyword of `keywords` in the code of `statement` (`DETACH DELETE` is a write,
    not an ATTACH's opposite), or None."""
    words = code_words(statement)
    for index, word in enumerate(words):
        if word not in keywords:
            continue
        if word == "DETACH" and words[index + 1 : index + 2] == ["DELETE"]:
            continue
        after = words[index + 1 : index + 2]
        return f"{word} {after[0]}" if word == "LOAD" and after else word
    return None


def refuse_external(statement: str, keywords: tuple[str, ...], reaches: str) -> None:
    """Raise the one-line error of `query` when the statement uses one of `keywords`; `reaches`
    says what that would do on this store."""
    clause = external_clause(statement, keywords)
    if clause:
        raise StoreError(f"the query uses {clause}, which {reaches}: `newsgraph query` refuses it unless given --write")
