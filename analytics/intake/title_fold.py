"""The fold of titles, vectorised: `ingest_fold_latin(x)` in SQL gives exactly
`strip_accents(replace(lower(x), 'đ', 'd'))` for text made of ASCII, Latin letters (Vietnamese included) and
common punctuation, and NULL for any other text (the caller then folds it with those DuckDB functions, so every
answer is DuckDB's own).

DuckDB's strip_accents runs utf8proc per string (decompose, drop marks, compose, two allocations): a million
different titles took most of an import's time. Here a batch of strings is folded at once with numpy on its UTF-8
bytes: ASCII letters are lowered byte by byte, each 2- or 3-byte character is looked up in a table built once from
DuckDB's own fold of every character of the blocks below (a character it keeps is kept, one it folds to one ASCII
letter is replaced); a character outside the table (other scripts, combining marks, emoji, NUL) makes the string
NULL here. DuckDB's lower, replace and strip_accents work character by character, so folding each character is
folding the string.
"""

from __future__ import annotations

from functools import cache

import duckdb
import numpy as np
import pyarrow as pa

# Latin-1 Supplement, Latin Extended-A/B, Latin Extended Additional (Vietnamese), General Punctuation, currency
# signs (₫). After their marks are dropped none of these composes with another: the fold is character by character.
BLOCKS = ((0x80, 0x250), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x20A0, 0x20D0))
KEEP = 1  # table value: the character folds to itself; 0: not in the table; 2..127: the ASCII byte it folds to
FUNCTION = "ingest_fold_latin"
FOLD = "strip_accents(replace(lower(c), 'đ', 'd'))"  # what the table holds for each character c


@cache
def _table() -> np.ndarray:
    chars = [chr(c) for low, high in BLOCKS for c in range(low, high)]
    table = np.zeros(0x10000, dtype=np.uint8)
    with duckdb.connect() as con:
        folded = con.execute(f"SELECT c, {FOLD} FROM (SELECT unnest($chars) AS c)", {"chars": chars}).fetchall()
    for char, result in folded:
        if result == char:
            table[ord(char)] = KEEP
        elif len(result) == 1 and 2 <= ord(result) < 128:
            table[ord(char)] = ord(result)
    return table


@cache
def _ascii() -> np.ndarray:
    """Bytes as DuckDB's lower() leaves them: A-Z lowered, every other byte as it is."""
    lowered = np.arange(256, dtype=np.uint8)
    lowered[ord("A") : ord("Z") + 1] += 32
    return lowered


def fold_latin(strings: pa.Array | pa.ChunkedArray) -> pa.StringArray:
    """strip_accents(replace(lower(s), 'đ', 'd')) of each string s, NULL where a character is outside the table
    (see the module docstring)."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if strings.type != pa.string():
        strings = strings.cast(pa.string())
    table, count = _table(), len(strings)
    _, offset_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(offset_buffer, np.int32, count + 1, strings.offset * 4) if count else np.zeros(1, np.int32)
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(data_buffer, np.uint8, end - start, start) if end > start else np.zeros(0, np.uint8)
    data = _ascii()[data]
    offsets = offsets - start
    valid = np.ones(count, bool) if strings.null_count == 0 else strings.is_valid().to_numpy(zero_copy_only=False)
    leads = np.flatnonzero(data >= 0xC0)  # first bytes of multi-byte characters
    unknown = np.flatnonzero(data == 0)
    if len(leads):
        padded = np.concatenate([data, np.zeros(2, np.uint8)])
        lead = padded[leads].astype(np.int32)
        second = (padded[leads + 1] & 0x3F).astype(np.int32)
        third = (padded[leads + 2] & 0x3F).astype(np.int32)
        point = np.where(lead < 0xE0, ((lead & 0x1F) << 6) | second, ((lead & 0x0F) << 12) | (second << 6) | third)
        value = table[np.minimum(point, 0xFFFF)]
        value[lead >= 0xF0] = 0  # 4-byte characters: not in the table
        unknown = np.concatenate([unknown, leads[value == 0]])
    if len(unknown):
        valid[np.searchsorted(offsets, unknown, "right") - 1] = False
    if len(leads):
        folds = value >= 2
        folded = leads[folds]
        padded[folded] = value[folds]
        keep = np.ones(len(padded), bool)
        keep[-2:] = False
        keep[folded + 1] = False
        keep[folded[lead[folds] >= 0xE0] + 2] = False
        dropped = np.zeros(len(padded) + 1, np.int32)
        np.cumsum(~keep, out=dropped[1:])
        offsets = offsets - dropped[offsets]
        data = padded[keep]
    return pa.StringArray.from_buffers(
        count,
        pa.py_buffer(np.ascontiguousarray(offsets, np.int32)),
        pa.py_buffer(data),
        pa.py_buffer(np.packbits(valid, bitorder="little")),
        count - int(valid.sum()),
    )


def register(cur: duckdb.DuckDBPyConnection) -> None:
    """Make ingest_fold_latin(VARCHAR) available to the cursor's database (once: its catalogue keeps it)."""
    try:
        cur.create_function(
            FUNCTION,
            fold_latin,
            [duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("VARCHAR"),
            type="arrow",
            null_handling="special",
            side_effects=False,
        )
    except duckdb.CatalogException:  # registered by an earlier check on this database
        pass
