"""The check's named queries (analytics/intake/sql/ingest_*.sql) with their names filled in.

A check's rows live in an in-memory database attached under a name of its own (several checks may wait at once);
the queries name it `${stage}`. `stage_sql(name, stage=...)` gives the query with every `${…}` replaced by the
identifier passed for it: a name never given, or a value that is not a plain identifier, is an error, not text
pasted into SQL. DuckDB's own `$name` parameters are left alone.
"""

from __future__ import annotations

import re

from analytics.store.database import sql

_NAME = re.compile(r"\$\{(\w+)\}")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def stage_sql(name: str, **names: str) -> str:
    """The named query NAME with its `${…}` identifiers filled in (see the module docstring)."""
    for value in names.values():
        if not _IDENTIFIER.fullmatch(value):
            raise ValueError(f"not an identifier: {value!r}")

    def fill(match: re.Match) -> str:
        if match.group(1) not in names:
            raise KeyError(f"{name}.sql needs ${{{match.group(1)}}}")
        return names[match.group(1)]

    return _NAME.sub(fill, sql(name))


def statements(name: str, **names: str) -> list[str]:
    """The statements of a named script, in order."""
    return [s for s in stage_sql(name, **names).split(";\n") if s.strip()]
