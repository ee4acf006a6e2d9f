"""The fold of titles, vectorised: `ingest_fold_latin(x)` in SQL gives exactly
`strip_accents(replace(lower(x), 'đ', 'd'))` for text made of ASCII, Latin letters (Vietnamese included) and
common punctuation, and NULL for any other text (the caller then folds it with DuckDB's own functions, so every
answer is DuckDB's own).

DuckDB's strip_accents runs utf8proc per string (decompose, drop marks, compose, two allocations): a million
different titles took most of an import's time. Here a batch of strings is folded in one loop over its UTF-8 bytes:
ASCII letters are lowered byte by byte, each 2- or 3-byte character is looked up in a table built once from
DuckDB's own fold of every character of the blocks below (a character it keeps is kept, one it folds to one ASCII
letter is replaced); a character outside the table (other scripts, combining marks, emoji), a control character
or a run of spaces makes the string NULL here. DuckDB's lower, replace and strip_accents work character by
character, so folding each character is folding the string.

The loop is title_fold.c, compiled by scripts/setup.sh and called through ctypes, which lets go of the GIL: at a
million titles it takes a quarter of numpy's time, and DuckDB's threads fold side by side. Where no compiler
built it, numpy folds the same way (fold_numpy), more slowly; tests hold both to DuckDB's answers.
"""

from __future__ import annotations

import ctypes
from functools import cache
from pathlib import Path

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


COMPILED = Path(__file__).with_name("_title_fold.so")  # built from title_fold.c by scripts/setup.sh


@cache
def compiled_loop():
    """title_fold.c's fold_latin, or None where it was not built (no compiler): numpy then does the same."""
    try:
        library = ctypes.CDLL(str(COMPILED))
    except OSError:
        return None
    kernel = library.fold_latin
    kernel.restype = None
    kernel.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64] + [ctypes.c_void_p] * 4
    return kernel


_LOWER = bytes(c + 32 if 65 <= c <= 90 else c for c in range(256))  # as DuckDB's lower() leaves ASCII bytes
_DROP = 0xFF  # never a byte of UTF-8: marks the bytes a folded character no longer needs


def fold_latin(strings: pa.Array | pa.ChunkedArray) -> pa.StringArray:
    """strip_accents(replace(lower(s), 'đ', 'd')) of each string s, NULL where a character is outside the table
    (see the module docstring): by the compiled loop where scripts/setup.sh built it, else by numpy."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if strings.type != pa.string():
        strings = strings.cast(pa.string())
    return fold_compiled(strings) if compiled_loop() is not None else fold_numpy(strings)


def fold_compiled(strings: pa.StringArray) -> pa.StringArray:
    """fold_latin by title_fold.c's loop, which runs without the GIL (ctypes lets it go): DuckDB's threads fold
    side by side."""
    count = len(strings)
    _, offset_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(offset_buffer, np.int32, count + 1, strings.offset * 4) if count else np.zeros(1, np.int32)
    valid = np.ones(count, np.uint8)
    if strings.null_count:
        valid = strings.is_valid().to_numpy(zero_copy_only=False).astype(np.uint8)
    out = np.empty(max(int(offsets[-1] - offsets[0]), 1), np.uint8)
    shrunk = np.empty(count + 1, np.int32)
    data = data_buffer.address if data_buffer is not None else 0
    arrays = (offsets, count, _table(), out, shrunk, valid)
    compiled_loop()(data, *(a if isinstance(a, int) else a.ctypes.data for a in arrays))
    return pa.StringArray.from_buffers(
        count,
        pa.py_buffer(shrunk),
        pa.py_buffer(out[: shrunk[-1]]),
        pa.py_buffer(np.packbits(valid.view(bool), bitorder="little")),
        count - int(valid.sum()),
    )


def fold_numpy(strings: pa.StringArray) -> pa.StringArray:
    """fold_latin with numpy, where no compiler built the loop: each batch in about 20 passes (holding the GIL
    between them)."""
    table, count = _table(), len(strings)
    _, offset_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(offset_buffer, np.int32, count + 1, strings.offset * 4) if count else np.zeros(1, np.int32)
    start, end = int(offsets[0]), int(offsets[-1])
    offsets = offsets - start
    # bytes.translate lowers ASCII and, at the end, drops what folding freed, each in one pass in C; numpy looks
    # only at the multi-byte characters. Two bytes of padding let every character's bytes be read at once.
    text = bytearray(memoryview(data_buffer)[start:end] if end > start else b"").translate(_LOWER) + b"\0\0"
    size = end - start
    data = np.frombuffer(text, np.uint8)
    if text.find(_DROP, 0, size) >= 0:  # not UTF-8: such strings are left to DuckDB, like a NUL
        data[np.flatnonzero(data[:size] == _DROP)] = 0
    valid = np.ones(count, bool) if strings.null_count == 0 else strings.is_valid().to_numpy(zero_copy_only=False)
    leads = np.flatnonzero(data[:size] >= 0xC0)  # first bytes of multi-byte characters
    # Control characters (NUL, tabs, line breaks) and runs of spaces are left to the caller's full fold().
    unknown = np.flatnonzero(data[:size] < 0x20)
    if text.find(b"  ", 0, size) >= 0:
        pairs = np.flatnonzero((data[: size - 1] == 0x20) & (data[1:size] == 0x20))
        unknown = np.concatenate([unknown, pairs[~np.isin(pairs + 1, offsets)]])  # not across two strings
    shrunk = offsets
    if len(leads):
        lead = data[leads].astype(np.int32)
        second = (data[leads + 1] & 0x3F).astype(np.int32)
        third = (data[leads + 2] & 0x3F).astype(np.int32)
        point = np.where(lead < 0xE0, ((lead & 0x1F) << 6) | second, ((lead & 0x0F) << 12) | (second << 6) | third)
        value = table[np.minimum(point, 0xFFFF)]
        value[lead >= 0xF0] = 0  # 4-byte characters: not in the table
        unknown = np.concatenate([unknown, leads[value == 0]])
        folds = value >= 2
        folded, three = leads[folds], lead[folds] >= 0xE0
        data[folded] = value[folds]
        data[folded + 1] = _DROP
        data[folded[three] + 2] = _DROP
        freed = np.zeros(len(folded) + 1, np.int32)  # bytes freed before each folded character, and in all
        np.cumsum(1 + three, out=freed[1:])
        shrunk = offsets - freed[np.searchsorted(folded, offsets)]
    if len(unknown):
        valid[np.searchsorted(offsets, unknown, "right") - 1] = False
    data[size:] = _DROP
    return pa.StringArray.from_buffers(
        count,
        pa.py_buffer(np.ascontiguousarray(shrunk, np.int32)),
        pa.py_buffer(text.translate(None, bytes([_DROP]))),
        pa.py_buffer(np.packbits(valid, bitorder="little")),
        count - int(valid.sum()),
    )


def load() -> None:
    """Build the table and load the loop now (a thread may, while DuckDB reads the file)."""
    _table()
    compiled_loop()


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
