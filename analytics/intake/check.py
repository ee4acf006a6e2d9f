"""Checking a submission file (contract: submission-format.md, version 1.1) before anything is stored.

`check_file(db, plan, units, data, file_name, allowed_units=None, progress=None) -> CheckResult` reads a CSV
(UTF-8 with or without BOM, UTF-16, Windows-1258; comma, semicolon or tab) or an .xlsx (the first sheet that
holds a header row), finds the header in the first 20 rows (under a title block; analytics/intake/layout.py),
maps the headers,
lets DuckDB read the cells as text and validates and normalises them in SQL (analytics/intake/sql/ingest_*.sql).
Units, types, titles, dates and numbers are resolved once per distinct value and joined back, so a
1,000,000-row file costs a few passes of DuckDB. The checked rows wait in an in-memory database attached to
the store's connection until `submissions.commit` stores them. Row numbers are spreadsheet rows (header = 1).
`allowed_units` (unit codes the uploader may submit for; None = any) rejects rows for other units.

A file that cannot be read as a table at all raises `IngestReadError` with a one-line Vietnamese reason.
Pre-numbered blank rows, a totals row and the signature lines under the table are left out and reported
(`skipped_rows`). `progress(fraction)` is called as the check moves on (the upload page draws it).
Storing, listing and rolling back are in analytics/submissions.py.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import tempfile
import threading
import unicodedata
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import duckdb

from analytics.core.i18n import LANGUAGES, t
from analytics.core.text import FOLD_SQL_MACRO, fold, format_number
from analytics.intake import stage_queries
from analytics.intake.layout import (
    MAX_COLUMNS,
    MAX_HEADER_BYTES,
    CsvHeader,
    LayoutError,
    Stripped,
    XlsxSheet,
    count_columns,
    find_csv_header,
    is_number_header,
    read_xlsx,
    strip_blank_records,
    too_many_columns,
)
from analytics.reference.plan import Plan
from analytics.reference.registry import Unit
from analytics.store.database import Database, sql

if TYPE_CHECKING:
    import pandas as pd

# Canonical fields, in template order, with the header keys (folded, letters and digits only) that name them.
FIELDS: dict[str, tuple[str, ...]] = {
    "ma_don_vi": ("madonvi", "unitcode"),
    "ten_don_vi": ("tendonvi", "unitname"),
    "loai_hoat_dong": ("loaihoatdong", "activitytype"),
    "ten_hoat_dong": ("tenhoatdong", "title"),
    "ngay_to_chuc": ("ngaytochuc", "date"),
    "so_nguoi_tham_gia": ("songuoithamgia", "participants"),
    "dia_diem": ("diadiem", "location", "diadiemtochuc"),
    "kinh_phi": ("kinhphi", "budgetvnd", "kinhphivnd", "kinhphidong"),
    "ma_hoat_dong": ("mahoatdong", "activityref"),
    "ghi_chu": ("ghichu", "notes"),
}
ENGLISH_ALIASES = {name: keys[1] for name, keys in FIELDS.items()}
REQUIRED = ("loai_hoat_dong", "ten_hoat_dong", "ngay_to_chuc")
UNIT_FIELDS = ("ma_don_vi", "ten_don_vi")
_HEADER_KEYS = {key: name for name, keys in FIELDS.items() for key in keys}

# Name prefixes a clerk may write before a unit's name (folded), with the kind of unit each implies.
UNIT_PREFIXES: tuple[tuple[str, str], ...] = (
    ("doan thi tran", "thi tran"),
    ("doan phuong", "phuong"),
    ("doan xa", "xa"),
    ("huyen doan", "huyen"),
    ("thanh doan", "thanh pho"),
    ("thi doan", "thi xa"),
    ("tinh doan", "tinh"),
    ("thi tran", "thi tran"),
    ("thi xa", "thi xa"),
    ("thanh pho", "thanh pho"),
    ("tp.", "thanh pho"),
    ("tp", "thanh pho"),
    ("huyen", "huyen"),
    ("phuong", "phuong"),
    ("xa", "xa"),
    ("tt", "thi tran"),
    ("tx", "thi xa"),
    ("p", "phuong"),
)
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}  # catalogue keys upload.separator.*
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp1258": "Windows-1258",
    "xlsx": "XLSX",
    "utf-8-damaged": "UTF-8 (có byte lỗi)",
}  # cells with the stray bytes are rejected
EXTRA_COLUMNS = 4  # CSV columns read past the header's width
# Tabs and non-breaking spaces (Excel and the web leave them) as plain spaces, then trimmed; the checks' blank test.
INGEST_TRIM_MACRO = (
    r"CREATE OR REPLACE TEMP MACRO ingest_trim(x) AS "
    r"trim(regexp_replace(x, '[\t\x{00a0}\x{202f}]', ' ', 'g'))"
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class IngestReadError(ValueError):
    """The file cannot be read as a table at all (empty, not a table, a required column missing, undecodable)."""


class ErrorRow(NamedTuple):
    line: int
    column: str
    value: str | None
    message: str


class DuplicateRow(NamedTuple):
    line: int
    message: str


class SkippedRow(NamedTuple):
    line: int
    reason: str


def _frame(rows: list, columns: tuple[str, ...]) -> "pd.DataFrame":
    import pandas as pd  # only where a frame is asked for (the pages): the import command never needs pandas

    return pd.DataFrame(rows, columns=list(columns))


@dataclass
class CheckResult:
    """What a dry run found. The checked rows wait in an in-memory staging database attached to the store's
    connection (`stage`) until `commit` stores them or the result is closed or dropped."""

    file_name: str
    sha256: str
    encoding: str
    separator: str | None
    rows: int
    accepted: int
    rejected: int
    duplicates: int
    updated: int
    new: int
    error_list: list[ErrorRow]  # line, column, value, message (spreadsheet order)
    duplicate_list: list[DuplicateRow]  # line, message
    warnings: list[str] = field(default_factory=list)
    updated_lines: list[int] = field(default_factory=list)  # rows that replace a stored version
    previous_submission: int | None = None  # an active submission of the identical file
    sheet: str | None = None  # xlsx: the sheet read
    header_row: int = 1  # spreadsheet row taken as the header
    skipped_list: list[SkippedRow] = field(default_factory=list)
    data_version: int = 0  # the store's version the outcomes were computed against
    stage: str = ""
    db: Database | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.db is not None and self.stage:
            self._finalizer = weakref.finalize(self, _detach, self.db, self.stage)

    # The same as frames (built when first asked for; pandas is imported only then).
    @cached_property
    def errors(self) -> "pd.DataFrame":
        return _frame(self.error_list, ErrorRow._fields)

    @cached_property
    def duplicate_rows(self) -> "pd.DataFrame":
        return _frame(self.duplicate_list, DuplicateRow._fields)

    @cached_property
    def skipped_rows(self) -> "pd.DataFrame":
        return _frame(self.skipped_list, SkippedRow._fields)

    @property
    def committable(self) -> int:
        return self.new + self.updated

    def stage_sql(self, name: str) -> str:
        """A named query with the staging database's name filled in."""
        return stage_queries.stage_sql(name, stage=self.stage)

    def is_open(self) -> bool:
        return self.db is not None and self.stage in _attached(self.db)

    def close(self) -> None:
        """Drop the staged rows (also done when the result is garbage-collected)."""
        if self.db is not None and self.stage:
            self._finalizer()

    def preview(self, limit: int = 50) -> "pd.DataFrame":
        """The first storable rows in file order, as they will be stored."""
        import pandas as pd

        with self.db.cursor() as cur:
            cur.execute(self.stage_sql("ingest_records"))
            frame = cur.execute("SELECT * FROM ingest_records_in ORDER BY line LIMIT ?", [limit]).df()
        frame["activity_date"] = pd.to_datetime(frame["activity_date"]).dt.date
        return frame


def _attached(db: Database) -> set[str]:
    with db.cursor() as cur:
        return {r[0] for r in cur.execute("SELECT database_name FROM duckdb_databases()").fetchall()}


def _detach(db: Database, stage: str) -> None:
    try:
        with db.cursor() as cur:
            cur.execute(f"DETACH DATABASE IF EXISTS {stage}")
    except Exception:  # the store is closed already: its staging database went with it
        pass


# -- text helpers -------------------------------------------------------------------------------------
def header_key(header: object) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(header))


def _field_of_header(header: str) -> str | None:
    """The field a header names; a hint in brackets after the name may follow ("Ngày tổ chức (dd/mm/yyyy)")."""
    return _HEADER_KEYS.get(header_key(header)) or _HEADER_KEYS.get(header_key(re.sub(r"[(\[].*?[)\]]", "", header)))


def match_key(value: object) -> str:
    """Key for names and labels: folded, punctuation dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", fold(value))).strip()


def split_prefix(key: str) -> tuple[str | None, str]:
    """('xa', 'tan binh') for 'xa tan binh'; (None, key) when no usual prefix starts the name."""
    for prefix, kind in UNIT_PREFIXES:
        if key.startswith(prefix + " ") or (prefix.endswith(".") and key.startswith(prefix)):
            return kind, key[len(prefix) :].strip()
    return None, key


def _district_split(name: str) -> tuple[str, str | None]:
    """("Xã Tân Bình", "huyện Tân Biên") for "Xã Tân Bình, huyện Tân Biên", "Xã Tân Bình - TP Tây Ninh" or
    "Xã Tân Bình (Tân Biên)"; (name, None) when nothing follows the name."""
    parts = re.split(r"\s*[,;(–—]\s*|\s+-\s+", name.strip().rstrip(")").strip(), maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return name, None


def accented_core(name: str) -> str:
    """The name without its prefix, case-folded but with its diacritics: 'hòa thạnh' for 'Xã Hòa Thạnh'."""
    words = re.sub(r"[^\w\s]", " ", unicodedata.normalize("NFC", name).casefold()).split()
    core = split_prefix(match_key(name))[1].split()
    return " ".join(words[len(words) - len(core) :]) if core else ""


# -- decoding -----------------------------------------------------------------------------------------
HEAD_BYTES = 65536
CHUNK_BYTES = 8 * 2**20
BLANK_RUN_LIMIT = 1000  # more blank records than this (",,,," lines) are left out before DuckDB reads the file
# A record starting with two separators or two spaces has neither unit code nor unit name: no record of the
# template starts so, blank runs (",,,,,,,,," as Excel saves empty rows) do.
_BLANK_RECORD_STARTS = (b"\n,,", b"\n;;", b"\n\t\t", b"\n  ")
_PATHS = re.compile(r"""(?:[A-Za-z]:)?(?:[\\/][^\\/\s"'“”]+)+[\\/]?""")


@dataclass
class _Decoded:
    encoding: str  # key of ENCODINGS
    path: Path | None = None  # a UTF-8 NFC CSV file DuckDB can read
    cleanup: bool = False
    text_head: str = ""  # the start of the text, for finding the header
    whole: bool = False  # text_head is the whole text
    sheet: XlsxSheet | None = None  # xlsx: the sheet read, its cells as text
    fast: bool = False  # the original UTF-8 bytes, not yet checked for blank lines
    stripped: Stripped | None = None  # blank records left out of `path`
    head_offset: int = 0  # bytes before text_head in `path` (a BOM)


@dataclass
class _Layout:
    """Where the table sits in the file: what the result reports and how rows get their spreadsheet numbers."""

    header_row: int  # spreadsheet row of the header (1-based)
    row0: int  # spreadsheet row of the first row read
    gaps: list[tuple[int, int]]  # (first row read, rows left out before it beyond row0's count)
    lines: int = 0  # physical lines of the CSV DuckDB read
    skip_lines: int = 0  # of which lines above the data
    rows_read: int = 0  # rows DuckDB made of them: fewer than lines - skip_lines when cells hold line breaks
    sheet: str | None = None


def _looks_binary(sample: bytes) -> bool:
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 1000)


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _write_text(text: str) -> dict:
    """The text as a UTF-8 NFC file without blank records; what _Decoded needs to read it."""
    data = unicodedata.normalize("NFC", text).encode("utf-8")
    del text
    handle = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
    with handle:
        stripped = strip_blank_records(io.BytesIO(data), handle)
    del data
    return _stripped_file(Path(handle.name), stripped)


def _stripped_file(path: Path, stripped: Stripped) -> dict:
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    return dict(
        path=path,
        cleanup=True,
        stripped=stripped,
        text_head=head.decode("utf-8", errors="ignore"),
        whole=len(head) < HEAD_BYTES,
    )


_BLANK_PAIRS = tuple(ord(mark[1:2]) for mark in _BLANK_RECORD_STARTS)  # each mark: a line break, then a byte twice


def _after_line_breaks(window: bytes) -> tuple[bool, int]:
    """What follows the line breaks in `window`: whether an empty line is there (b"\\n\\n" or b"\\n\\r\\n" in it) and
    how many records start blank (sum of window.count(mark) for _BLANK_RECORD_STARTS; the marks cannot overlap).
    One pass of numpy over the bytes instead of six searches that each stop at every line break: on a 200 MB file
    this scan took 1.5 s of CPU beside DuckDB's read, on two cores."""
    import numpy as np

    data = np.frombuffer(window + b"\0\0", np.uint8)
    breaks = np.flatnonzero(data[:-2] == 10)
    first, second = data[breaks + 1], data[breaks + 2]
    empty = bool(np.any(first == 10) or np.any((first == 13) & (second == 10)))
    blank = int(np.count_nonzero((first == second) & np.isin(first, _BLANK_PAIRS)))
    return empty, blank


class FileScan(threading.Thread):
    """The file's SHA-256, line count and what its bytes hold (combining marks, NUL bytes; blank runs on demand),
    read in chunks beside DuckDB's read (hashing and reading release the GIL): a large file is never held whole here.
    `result()` waits for them; `bytes()` gives the whole content to the paths that need it."""

    def __init__(self, source: Path | None, data: bytes | None = None):
        super().__init__(daemon=True)
        self.source, self.data, self.error = source, None if source else data, None
        self._blank_runs: bool | None = None
        self.start()

    def _chunks(self):
        if self.data is not None:
            for start in range(0, len(self.data), CHUNK_BYTES):
                yield self.data[start : start + CHUNK_BYTES]
            return
        with open(self.source, "rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk

    def run(self) -> None:
        try:
            digest, lines, size, last = hashlib.sha256(), 0, 0, b""
            self.needs_nfc = self.has_nul = self.nonblank = False
            for chunk in self._chunks():
                digest.update(chunk)
                size += len(chunk)
                lines += chunk.count(b"\n")
                # Vietnamese text that is not NFC carries combining marks U+0300–U+036F (UTF-8 lead bytes CC/CD).
                self.needs_nfc = self.needs_nfc or b"\xcc" in chunk or b"\xcd" in chunk
                self.has_nul = self.has_nul or b"\x00" in chunk
                self.nonblank = self.nonblank or re.search(rb"[^\s\x00\xef\xbb\xbf\xff\xfe]", chunk) is not None
                last = chunk[-1:]
            self.sha256 = digest.hexdigest()
            self.size = size
            self.lines = lines + (size > 0 and last != b"\n")  # a last line without a break
        except BaseException as exc:  # handed to the caller by result()
            self.error = exc

    def blank_runs(self) -> bool:
        """Whether the file has empty lines (DuckDB skips them: row numbers would shift) or more than
        BLANK_RUN_LIMIT blank records (",,,," as Excel saves empty rows). A second pass, made only when the read
        suggests it (fewer rows than lines, or a failed read): most files never pay for it."""
        if self._blank_runs is None:
            empty, blank, tail = False, 0, b""
            for chunk in self._chunks():
                found_empty, found_blank = _after_line_breaks(tail + chunk)
                empty, blank, tail = empty or found_empty, blank + found_blank, chunk[-3:]
                if empty or blank > BLANK_RUN_LIMIT:
                    break
            self._blank_runs = empty or blank > BLANK_RUN_LIMIT
        return self._blank_runs

    def result(self) -> "FileScan":
        self.join()
        if self.error is not None:
            raise self.error
        return self

    def bytes(self) -> bytes:
        return self.data if self.data is not None else self.source.read_bytes()


def decode(head: bytes, source: Path | None, content: FileScan) -> _Decoded:
    """Detect the encoding from the first bytes (`head`); give back a UTF-8 file for DuckDB (the original
    bytes on the fast path, else decoded and NFC-normalised), or the sheet of an .xlsx."""
    if not re.search(rb"[^\s\x00\xef\xbb\xbf\xff\xfe]", head):
        if len(head) < HEAD_BYTES or not content.result().nonblank:
            raise IngestReadError(t("ingest.read.empty"))
    if head.startswith(b"PK\x03\x04"):
        try:
            return _Decoded("xlsx", sheet=read_xlsx(content.result().bytes(), _field_of_header, REQUIRED, UNIT_FIELDS))
        except LayoutError as exc:
            raise IngestReadError(str(exc)) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestReadError(t("ingest.read.old_xls"))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(head[:4096]):
        codec = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(head[:4096])
        try:
            text = content.result().bytes().decode(codec)
        except UnicodeDecodeError:
            raise IngestReadError(t("ingest.read.undecodable")) from None
        return _text_file("utf-16", text)
    if _looks_binary(head):
        raise IngestReadError(t("ingest.read.binary"))
    encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
    # Fast path: DuckDB reads the bytes as they are (BOM included) and checks the UTF-8 itself; blank lines,
    # non-NFC text and non-UTF-8 bytes are noticed after the read (see _stage_csv), which then reads again.
    offset = 3 if encoding == "utf-8-sig" else 0
    text_head = head[offset:].decode("utf-8", errors="ignore")
    fast = dict(text_head=text_head, fast=True, whole=len(head) < HEAD_BYTES, head_offset=offset)
    if source is not None:
        return _Decoded(encoding, path=source, **fast)
    handle = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
    with handle:
        handle.write(content.data)
    return _Decoded(encoding, path=Path(handle.name), cleanup=True, **fast)


def _legacy(data: bytes) -> _Decoded:
    try:
        return _text_file("cp1258", data.decode("cp1258"))
    except UnicodeDecodeError:
        raise IngestReadError(t("ingest.read.undecodable")) from None


def _text_file(encoding: str, text: str) -> _Decoded:
    if encoding in ("utf-16", "cp1258") and _looks_binary(text[:HEAD_BYTES].encode("utf-8", "replace")):
        raise IngestReadError(t("ingest.read.binary"))
    return _Decoded(encoding, **_write_text(text))


def _strip_fast(decoded: _Decoded) -> _Decoded:
    """The UTF-8 file as it is, without its blank records (no decoding needed)."""
    handle = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
    with handle, open(decoded.path, "rb") as source:
        stripped = strip_blank_records(source, handle)
    found = _stripped_file(Path(handle.name), stripped)
    found["text_head"] = found["text_head"].lstrip("\ufeff")
    return _Decoded(decoded.encoding, head_offset=3 if decoded.encoding == "utf-8-sig" else 0, **found)


# -- headers ------------------------------------------------------------------------------------------
def sniff_separator(head: str) -> str:
    first = next((line for line in head.splitlines() if line.strip()), "")
    counts = {sep: 0 for sep in (",", ";", "\t")}
    quoted = False
    for ch in first:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def map_headers(headers: list[str | None]) -> tuple[dict[str, int], list[str]]:
    """{field: column index} and the names of unknown extra columns (a running-number column is not one)."""
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        name = _field_of_header(header or "")
        if name is None:
            if (header or "").strip() and not is_number_header(header):
                unknown.append(str(header).strip())
            continue
        if name in mapping:
            raise IngestReadError(t("ingest.read.duplicate_column", column=header, first=headers[mapping[name]]))
        mapping[name] = index
    if not mapping:
        raise IngestReadError(t("ingest.read.not_table"))

    def named(name: str) -> str:
        return f"{t('ingest.header.' + name)} ({name})"

    missing = [named(name) for name in REQUIRED if name not in mapping]
    if not any(name in mapping for name in UNIT_FIELDS):
        missing.insert(0, t("ingest.read.either", first=named("ma_don_vi"), second=named("ten_don_vi")))
    if missing:
        raise IngestReadError(t("ingest.read.missing_columns", columns=", ".join(missing)))
    return mapping, unknown


# -- staging ------------------------------------------------------------------------------------------
def _csv_header(decoded: _Decoded) -> CsvHeader:
    """The header row of a CSV; a header line longer than what was read is measured to its end: read whole, or
    refused with its true width or length."""
    sniffed = sniff_separator(decoded.text_head)
    order = [sniffed] + [s for s in (",", ";", "\t") if s != sniffed]
    found = find_csv_header(decoded.text_head, order, _field_of_header, REQUIRED, UNIT_FIELDS)
    lines = re.findall(r"[^\n]*\n|[^\n]+$", decoded.text_head)  # as the csv reader counts them (line_num)
    if found.header is not None:
        start = found.skip_lines - 1
    else:  # no header at all: measure the first non-blank line if it runs past what was read
        start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    long_line = not decoded.whole and start == len(lines) - 1 and not decoded.text_head.endswith(("\n", "\r"))
    if long_line:
        offset = decoded.head_offset + len("".join(lines[:start]).encode("utf-8"))
        with open(decoded.path, "rb") as handle:
            handle.seek(offset)
            columns, size = count_columns(iter(lambda: handle.read(CHUNK_BYTES), b""), found.separator.encode())
        if columns > MAX_COLUMNS:
            raise IngestReadError(str(too_many_columns(columns)))
        if size > MAX_HEADER_BYTES:
            raise IngestReadError(t("intake.read.header_too_long", size=format_number(size / 2**20, 1)))
        with open(decoded.path, "rb") as handle:
            handle.seek(decoded.head_offset)
            decoded.text_head = handle.read(offset + size + HEAD_BYTES).decode("utf-8", errors="ignore")
        decoded.whole = True  # enough to hold the header whole
        return _csv_header(decoded)
    if found.header is None:
        raise IngestReadError(t("ingest.read.not_table"))
    if len(found.header.cells) > MAX_COLUMNS:
        raise IngestReadError(str(too_many_columns(len(found.header.cells))))
    return found


def _load_fold_beside(decoded: _Decoded, found: CsvHeader) -> None:
    """When the first rows' titles all differ in a file long enough for FOLD_UDF_MIN of them, load the vectorised
    fold (pyarrow, its table: about 0.2 s) in a thread while DuckDB reads the file, instead of after."""
    title = map_headers(found.header.cells)[0].get("ten_hoat_dong")
    if title is None or decoded.path is None:
        return
    rows = list(csv.reader(io.StringIO(decoded.text_head), delimiter=found.separator))[found.skip_lines : -1]
    titles = [row[title] for row in rows if len(row) > title]
    line_bytes = len(decoded.text_head.encode("utf-8")) / max(found.skip_lines + len(rows), 1)
    if len(titles) >= 50 and len(set(titles)) > 0.9 * len(titles):
        if decoded.path.stat().st_size / line_bytes >= FOLD_UDF_MIN:
            threading.Thread(target=_load_fold, daemon=True).start()


def _load_fold() -> None:
    from analytics.intake import title_fold

    title_fold.load()


def _sanitised(message: str) -> str:
    """DuckDB's words without any file path (a server's temporary file is nobody's business)."""
    return _PATHS.sub("…", message.splitlines()[0])[:200]


def _stage_csv(cur: duckdb.DuckDBPyConnection, decoded: _Decoded, content: FileScan) -> tuple[list[str], str, _Layout]:
    found = _csv_header(decoded)
    _load_fold_beside(decoded, found)
    separator, headers = found.separator, found.header.cells
    # A few columns past the header: cells there (a row shifted by an unquoted separator) are reported, not dropped.
    columns = {f"c{i}": "VARCHAR" for i in range(len(headers) + EXTRA_COLUMNS)}
    options = dict(
        header=False,
        skip=found.skip_lines,
        delim=separator,
        quote='"',
        escape='"',
        auto_detect=False,
        columns=columns,
        null_padding=True,
        strict_mode=False,
    )
    for parallel in (True, False):
        try:
            cur.execute(
                "CREATE OR REPLACE TEMP TABLE ingest_raw AS SELECT * FROM read_csv($path, header=$header, "
                "skip=$skip, delim=$delim, quote=$quote, escape=$escape, auto_detect=$auto_detect, "
                "columns=$columns, null_padding=$null_padding, strict_mode=$strict_mode, "
                "parallel=$parallel)",
                {"path": str(decoded.path), "parallel": parallel, **options},
            )
        except duckdb.Error as exc:
            message = str(exc)
            if "Invalid unicode" in message and decoded.fast:
                raise _Redecode() from None
            if decoded.fast and content.result().blank_runs():
                raise _Restrip() from None  # blank runs can confuse the reader: read the copy without them
            if parallel and "parallel" in message:
                continue  # quoted line breaks together with short rows: read sequentially
            raise IngestReadError(t("ingest.read.not_table_detail", detail=_sanitised(message))) from None
        lines = decoded.stripped.lines if decoded.stripped else 0
        read = cur.execute("SELECT count(*) FROM ingest_raw").fetchall()[0][0]
        if decoded.fast:
            scanned = content.result()
            if scanned.needs_nfc:
                raise _Redecode()  # combining marks: normalise to NFC in Python first
            if scanned.lines > read + found.skip_lines and scanned.blank_runs():
                raise _Restrip()  # DuckDB skipped empty lines (row numbers would shift)
            lines = scanned.lines
        index = found.header.index
        removed = decoded.stripped.removed_before if decoded.stripped else (lambda record: 0)
        base = removed(index + 1)
        gaps = [(0, base)] if base else []
        if decoded.stripped:
            gaps += [(first - index - 1, before) for first, before in decoded.stripped.gaps if first > index + 1]
        layout = _Layout(
            header_row=index + 1 + removed(index),
            row0=index + 2,
            gaps=gaps,
            lines=lines,
            skip_lines=found.skip_lines,
            rows_read=read,
        )
        return headers, separator, layout
    raise AssertionError("unreachable")


class _Redecode(Exception):
    """The fast path met bytes that are not UTF-8 or not NFC: decode in Python and read again."""


class _Restrip(Exception):
    """The fast path met blank lines: leave them out of a copy (keeping row numbers) and read that."""


def _slow_decode(data: bytes) -> _Decoded:
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    body = data[3 if encoding == "utf-8-sig" else 0 :]
    try:
        return _text_file(encoding, body.decode("utf-8"))
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        damaged = text.count("\ufffd")
        letters = sum(ch > "\x7f" for ch in text) - damaged
        if letters > 2 * damaged:  # UTF-8 with a few stray bytes (a pasted note): not a legacy file
            return _text_file("utf-8-damaged", text)
        return _legacy(data)


def _xlsx_layout(sheet: XlsxSheet) -> _Layout:
    row0 = sheet.lines[0] if sheet.lines else sheet.header_row + 1
    gaps, offset = [], 0
    for i, line in enumerate(sheet.lines):
        if line - i - row0 != offset:
            offset = line - i - row0
            gaps.append((i, offset))
    return _Layout(header_row=sheet.header_row, row0=row0, gaps=gaps, sheet=sheet.name)


def _stage(
    cur: duckdb.DuckDBPyConnection, head: bytes, source: Path | None, content: FileScan
) -> tuple[str, str | None, list[str], _Layout]:
    decoded = decode(head, source, content)
    try:
        if decoded.sheet is not None:
            cur.register("ingest_xlsx", decoded.sheet.table)
            cur.execute("CREATE OR REPLACE TEMP TABLE ingest_raw AS SELECT * FROM ingest_xlsx")
            cur.unregister("ingest_xlsx")
            return decoded.encoding, None, decoded.sheet.headers, _xlsx_layout(decoded.sheet)
        try:
            headers, separator, layout = _stage_csv(cur, decoded, content)
        except (_Redecode, _Restrip) as again:
            first = decoded
            decoded = _strip_fast(first) if isinstance(again, _Restrip) else _slow_decode(content.result().bytes())
            if first.cleanup and first.path:
                os.unlink(first.path)
            headers, separator, layout = _stage_csv(cur, decoded, content)
        return decoded.encoding, separator, headers, layout
    finally:
        if decoded.cleanup and decoded.path:
            os.unlink(decoded.path)


# -- reference lookups (small tables built in Python, joined in SQL) ----------------------------------
class UnitResolver:
    """Units by code or name: full name first, then the name without its prefix (narrowed by the prefix's
    kind). An ambiguous name lists its candidates; code and name given together must agree."""

    def __init__(self, plan: Plan, units: tuple[Unit, ...], allowed_units: set[str] | None):
        self.units = [u for u in units if u.active_between(plan.start, plan.deadline)]
        self.by_code = {u.code.casefold(): u for u in self.units}
        self.names = {u.code: u.name for u in units}
        self.by_full: dict[str, list[Unit]] = {}
        self.by_core: dict[str, list[Unit]] = {}
        for unit in self.units:  # the Union body's name and the administrative name both match
            for key in dict.fromkeys(match_key(n) for n in (unit.name, unit.admin_name) if n):
                self.by_full.setdefault(key, []).append(unit)
                core = self.by_core.setdefault(split_prefix(key)[1], [])
                core.append(unit) if unit not in core else None
        self.levels = {tg.level for tg in plan.targets}
        self.allowed = allowed_units

    def _describe(self, unit: Unit) -> str:
        parent = self.names.get(unit.parent_code or "", "")
        return f"{unit.code} – {unit.name}" + (f" ({parent})" if parent and unit.level == "commune" else "")

    def by_name(self, name: str) -> tuple[Unit | None, str | None, list[Unit]]:
        key = match_key(name)
        full = self.by_full.get(key, [])
        if len(full) == 1:
            return full[0], None, full
        unit_part, district_part = _district_split(name)
        if district_part and not full:  # "Xã Tân Bình, huyện Tân Biên": the district settles it
            districts = {
                u.code
                for u in self.by_core.get(split_prefix(match_key(district_part))[1], [])
                if u.level in ("district", "province")
            }
            if not districts:
                return None, t("intake.error.unit_district_unknown", district=district_part), []
            named, problem, candidates = self.by_name(unit_part)
            within = [u for u in candidates if u.parent_code in districts or u.code in districts]
            if len(within) == 1:
                return within[0], None, within
            if not within:
                return (
                    None,
                    t(
                        "intake.error.unit_name_unknown_like",
                        candidates="; ".join(self._describe(u) for u in candidates),
                    )
                    if candidates
                    else problem,
                    [],
                )
            candidates = within
            return (
                None,
                t("ingest.error.unit_ambiguous", candidates="; ".join(self._describe(u) for u in candidates)),
                candidates,
            )
        kind, core = split_prefix(key)
        candidates = full or self.by_core.get(core, [])
        if kind and len(candidates) > 1:
            narrowed = [u for u in candidates if match_key(u.kind) == kind]
            candidates = narrowed or candidates
        if len(candidates) > 1:  # diacritics, when written, may still tell them apart (Hòa Thành, Hòa Thạnh)
            exact = [
                u for u in candidates if accented_core(name) in {accented_core(n) for n in (u.name, u.admin_name) if n}
            ]
            candidates = exact if len(exact) == 1 else candidates
        if len(candidates) == 1:
            return candidates[0], None, candidates
        if not candidates:
            like = [
                u
                for near in difflib.get_close_matches(split_prefix(key)[1], self.by_core, n=3, cutoff=0.75)
                for u in self.by_core[near]
            ][:6]
            if like:
                return (
                    None,
                    t("intake.error.unit_name_unknown_like", candidates="; ".join(self._describe(u) for u in like)),
                    [],
                )
            return None, t("ingest.error.unit_name_unknown"), []
        return (
            None,
            t("ingest.error.unit_ambiguous", candidates="; ".join(self._describe(u) for u in candidates)),
            candidates,
        )

    def resolve(self, code: str | None, name: str | None) -> tuple[str | None, str | None, str | None]:
        """(unit code, error field, error message)."""
        unit = None
        if code:
            unit = self.by_code.get(code.strip().casefold())
            if unit is None:
                return None, "ma_don_vi", t("ingest.error.unit_code_unknown")
        if name:
            named, problem, candidates = self.by_name(name)
            if unit is not None:
                if named is not None and named.code != unit.code:
                    return None, "ten_don_vi", t("ingest.error.unit_mismatch", code=unit.code, name=unit.name)
                if named is None and unit not in candidates:
                    return None, "ten_don_vi", t("ingest.error.unit_mismatch", code=unit.code, name=unit.name)
            elif named is None:
                return None, "ten_don_vi", problem
            else:
                unit = named
        if unit is None:
            return None, "ma_don_vi" if code is not None or not name else "ten_don_vi", t("ingest.error.unit_missing")
        column = "ma_don_vi" if code else "ten_don_vi"
        if unit.level not in self.levels:
            return None, column, t("ingest.error.unit_level", level=t(f"level.{unit.level}"))
        if self.allowed is not None and unit.code not in self.allowed:
            return None, column, t("ingest.error.unit_scope", unit=f"{unit.code} – {unit.name}")
        return unit.code, None, None


def type_lookup(plan: Plan) -> dict[str, str]:
    lookup = {}
    for activity in plan.activity_types:
        lookup[match_key(activity.code)] = activity.code
        lookup[match_key(activity.label)] = activity.code
        lookup[match_key(activity.code.replace("_", " "))] = activity.code
    return lookup


def _strip(value: str | None) -> str | None:
    return (value or "").strip() or None


def _unit_map(cur: duckdb.DuckDBPyConnection, resolver: UnitResolver) -> dict[str, list[str | None]]:
    pairs = cur.execute("SELECT DISTINCT unit_code_raw, unit_name_raw FROM ingest_cells").fetchall()
    resolved = [resolver.resolve(_strip(code), _strip(name)) for code, name in pairs]
    values = [
        _strip(code) if field == "ma_don_vi" else _strip(name) for (code, name), (_, field, _) in zip(pairs, resolved)
    ]
    return {
        "code_raw": [p[0] for p in pairs],
        "name_raw": [p[1] for p in pairs],
        "unit_code": [r[0] for r in resolved],
        "error_field": [r[1] for r in resolved],
        "value": values,
        "error": [r[2] for r in resolved],
    }


def _type_map(cur: duckdb.DuckDBPyConnection, plan: Plan) -> dict[str, list[str | None]]:
    types = type_lookup(plan)
    raw = [
        r[0] for r in cur.execute("SELECT DISTINCT type_raw FROM ingest_cells WHERE type_raw IS NOT NULL").fetchall()
    ]
    codes = [types.get(match_key(v)) for v in raw]
    return {
        "type_raw": raw,
        "type_code": codes,
        "value": [_strip(v) for v in raw],
        "error": [None if code else t("ingest.error.type_unknown") for code in codes],
    }


def _text_table(cur: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[str | None]]) -> None:
    """A temporary table of text columns from equally long Python lists (one unnest per column: they zip)."""
    names = list(columns)
    select = ", ".join(f"unnest(${i}::VARCHAR[]) AS {column}" for i, column in enumerate(names, 1))
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}", [columns[c] for c in names])


def _messages(plan: Plan) -> dict[str, list[str]]:
    keys = [
        "required",
        "date_invalid",
        "date_serial",
        "date_outside",
        "number_negative",
        "number_not_whole",
        "number_too_large",
        "ref_conflict",
    ]
    intake = ["date_impossible", "budget_not_whole", "budget_too_large"]
    values = {
        "start": plan.start.strftime("%d/%m/%Y"),
        "deadline": plan.deadline.strftime("%d/%m/%Y"),
        "line": "{line}",
    }  # filled in by SQL
    months = range(1, 13)  # 31/11/2022: "not in month 11" (ingest_check.sql names the month)
    return {
        "key": keys + intake + [f"date_not_in_month_{m}" for m in months],
        "message": [t(f"ingest.error.{key}", **values) for key in keys]
        + [t(f"intake.error.{key}") for key in intake]
        + [t("ingest.error.date_not_in_month", month=m) for m in months],
    }


# -- the check ----------------------------------------------------------------------------------------
def check_file(
    db: Database,
    plan: Plan,
    units: tuple[Unit, ...],
    data: bytes | Path | str,
    file_name: str,
    allowed_units: set[str] | None = None,
    progress: Callable[[float], None] | None = None,
    scan: FileScan | None = None,
) -> CheckResult:
    """Read, validate and normalise a submission without storing anything. Raises IngestReadError.

    scan: FileScan(path) started earlier, e.g. while the store opens (the command line does so)."""
    step = progress or (lambda fraction: None)
    source, head, content = _open(data, scan)
    with db.cursor() as cur:
        _prepare(cur)
        step(0.05)
        encoding, separator, headers, layout = _stage(cur, head, source, content)
        step(0.35)
        sha = content.result().sha256
        mapping, unknown = map_headers(headers)
        warnings = [t("ingest.warning.extra_columns", columns=", ".join(unknown))] if unknown else []
        skipped_rows, frame_warnings = _frame_rows(
            cur, headers, mapping, separator, content, layout, damaged=encoding == "utf-8-damaged"
        )
        warnings += frame_warnings
        step(0.5)
        # Line numbers are fixed now (rowid of the ordered read): later steps may run in any order, in parallel.
        cur.execute("SET preserve_insertion_order = false")
        _lookups(cur, plan, units, allowed_units)
        stage = f"ingest_stage_{uuid.uuid4().hex[:12]}"
        cur.execute(f"ATTACH ':memory:' AS {stage}")
        try:
            rows = _check_rows(cur, stage, lambda done: step(0.5 + 0.3 * done))
            found = _found(cur, stage)
            step(0.8)
            outcome = _classify(cur, stage)
            previous = cur.execute(
                "SELECT max(id) FROM submissions WHERE sha256 = ? AND status = 'active'", [sha]
            ).fetchall()[0][0]
        except BaseException:
            cur.execute(f"DETACH DATABASE IF EXISTS {stage}")
            raise
    errors = _located_errors(found.errors, headers, mapping)
    duplicate_rows = _duplicate_rows(found.duplicate_rows, outcome["duplicate"])
    if previous is not None:
        warnings.insert(0, t("ingest.warning.same_file", id=previous))
    rejected = len({error.line for error in errors})
    return CheckResult(
        file_name=file_name,
        sha256=sha,
        encoding=ENCODINGS[encoding],
        separator=separator,
        rows=rows,
        accepted=rows - rejected,
        rejected=rejected,
        duplicates=len(duplicate_rows),
        updated=len(outcome["update"]),
        new=found.storable - len(outcome["update"]) - len(outcome["duplicate"]),
        error_list=errors,
        duplicate_list=duplicate_rows,
        warnings=warnings,
        updated_lines=outcome["update"],
        previous_submission=previous,
        data_version=found.data_version,
        sheet=layout.sheet,
        header_row=layout.header_row,
        skipped_list=skipped_rows,
        stage=stage,
        db=db,
    )


# -- the check's steps --------------------------------------------------------------------------------
def _open(data: bytes | Path | str, scan: FileScan | None) -> tuple[Path | None, bytes, FileScan]:
    """The file (a path, or the bytes of an upload), its first bytes, and its content scan started beside (or
    before: `scan`, see check_file)."""
    source = Path(data) if isinstance(data, (str, Path)) else None
    content = scan if scan is not None and source is not None and scan.source == source else FileScan(source, data)
    if source:
        with open(source, "rb") as handle:
            return source, handle.read(HEAD_BYTES), content
    return None, data[:HEAD_BYTES], content


def _prepare(cur: duckdb.DuckDBPyConnection) -> None:
    """The macros and the fold function the check's SQL calls."""
    cur.execute(FOLD_SQL_MACRO)
    cur.execute(INGEST_TRIM_MACRO)
    cur.execute("CREATE OR REPLACE TEMP MACRO ingest_fold_none(x) AS NULL::VARCHAR")


def _frame_rows(
    cur: duckdb.DuckDBPyConnection,
    headers: list[str],
    mapping: dict[str, int],
    separator: str | None,
    content: FileScan,
    layout: _Layout,
    damaged: bool,
) -> tuple[list[SkippedRow], list[str]]:
    """Name the staged cells (ingest_cells), leave out the rows that are not records (ingest_rows) and note the
    cells a reader would drop (ingest_row_problems). The rows left out, and the warnings."""
    width = len(cur.execute("SELECT * FROM ingest_raw LIMIT 0").description)
    cur.execute("CREATE OR REPLACE TEMP TABLE ingest_gaps (first_row BIGINT, line_offset BIGINT)")
    if layout.gaps:
        cur.executemany("INSERT INTO ingest_gaps VALUES (?, ?)", layout.gaps)
    cur.execute(_cells_sql(mapping, width, layout))
    skipped_rows = _left_out(cur, headers, mapping, width)
    warnings = _left_out_warnings(skipped_rows)
    cur.execute(_rows_sql(mapping, width, bool(len(skipped_rows))))
    warnings += _cell_problems(cur, headers, mapping, width, separator, content, layout, damaged=damaged)
    return skipped_rows, warnings


def _lookups(
    cur: duckdb.DuckDBPyConnection, plan: Plan, units: tuple[Unit, ...], allowed_units: set[str] | None
) -> None:
    """The small tables the check joins: units and types resolved per distinct raw value, messages, the period."""
    resolver = UnitResolver(plan, units, allowed_units)
    for name, table in (
        ("ingest_unit_map", _unit_map(cur, resolver)),
        ("ingest_type_map", _type_map(cur, plan)),
        ("ingest_messages", _messages(plan)),
    ):
        _text_table(cur, name, table)  # copied into DuckDB: joins then never wait on Python
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE ingest_plan AS SELECT ?::DATE AS start_date, ?::DATE AS deadline",
        [plan.start, plan.deadline],
    )


FOLD_UDF_MIN = 200_000  # distinct titles from which the vectorised fold beats DuckDB's own (pyarrow: +50 MiB)


def _titles_query(cur: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """ingest_titles_distinct when titles repeat (folded once each), ingest_titles_by_row when most differ; and
    the fold for ingest_title_key.sql: the vectorised one only when there are many titles to fold (its imports
    cost more than it saves on a few thousand)."""
    distinct, rows = cur.execute("SELECT approx_count_distinct(title), count(*) FROM ingest_cells").fetchall()[0]
    fold_latin = "ingest_fold_none"
    if distinct >= FOLD_UDF_MIN:
        from analytics.intake import title_fold

        title_fold.register(cur)
        fold_latin = title_fold.FUNCTION
    return ("ingest_titles_by_row" if distinct > rows / 2 else "ingest_titles_distinct"), fold_latin


def _check_rows(cur: duckdb.DuckDBPyConnection, stage: str, done: Callable[[float], None]) -> int:
    """Validate and normalise every row in SQL into the staging database (`stage`.checked); the rows checked."""
    titles, fold_latin = _titles_query(cur)
    statements = [
        s
        for name in ("ingest_values", "ingest_title_key", titles, "ingest_check")
        for s in stage_queries.statements(name, stage=stage, fold_latin=fold_latin)
    ]
    for count, statement in enumerate(statements, 1):
        cur.execute(statement)
        done(count / len(statements))
    ref_repeats, key_repeats = cur.execute("SELECT count(ref_hash), count(record_hash) FROM ingest_repeats").fetchall()[
        0
    ]
    if ref_repeats:
        cur.execute(stage_queries.stage_sql("ingest_ref_conflicts", stage=stage))
    if key_repeats:
        cur.execute(stage_queries.stage_sql("ingest_file_duplicates", stage=stage))
    cur.execute(stage_queries.stage_sql("ingest_excluded", stage=stage))
    rows = cur.execute(f"SELECT count(*) FROM {stage}.checked").fetchall()[0][0]
    if rows == 0:
        raise IngestReadError(t("ingest.read.no_rows"))
    return rows


@dataclass
class _Found:
    errors: list[tuple]  # line, field, value, message
    duplicate_rows: list[tuple]  # line, first_line: repeats inside the file
    storable: int  # rows that can be stored
    data_version: int  # the store's version the outcomes are computed against


def _found(cur: duckdb.DuckDBPyConnection, stage: str) -> _Found:
    """What the checks found, and the storable records (ingest_records_in)."""
    errors = cur.execute(sql("ingest_errors")).fetchall()  # a blank cell's value: None
    duplicate_rows = cur.execute("SELECT line, first_line FROM ingest_file_duplicates ORDER BY line").fetchall()
    data_version = cur.execute(
        "SELECT coalesce(max(value::BIGINT), 0) FROM meta WHERE key = 'data_version'"
    ).fetchall()[0][0]
    cur.execute(stage_queries.stage_sql("ingest_records", stage=stage))
    storable = cur.execute("SELECT count(*) FROM ingest_records_in").fetchall()[0][0]
    return _Found(errors, duplicate_rows, storable, data_version)


def _classify(cur: duckdb.DuckDBPyConnection, stage: str) -> dict[str, list[int]]:
    """Each storable record against the store (`stage`.outcome): the lines of updates and of duplicates."""
    if cur.execute("SELECT count(*) > 0 FROM current_activities").fetchall()[0][0]:
        cur.execute(sql("ingest_classify"))
    else:  # an empty store: every record is new
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE ingest_outcome AS "
            "SELECT line, 'new' AS outcome, NULL::BIGINT AS old_id FROM ingest_records_in LIMIT 0"
        )
    cur.execute(f"CREATE TABLE {stage}.outcome AS SELECT * FROM ingest_outcome WHERE outcome <> 'new'")
    return {
        name: [
            r[0]
            for r in cur.execute(f"SELECT line FROM {stage}.outcome WHERE outcome = ? ORDER BY line", [name]).fetchall()
        ]
        for name in ("update", "duplicate")
    }


def _located_errors(errors: list[tuple], headers: list[str], mapping: dict[str, int]) -> list[ErrorRow]:
    """Errors under the file's own column headers, in spreadsheet order (row, then column)."""
    header_of = {name: headers[index] for name, index in mapping.items()}
    header_of["ma_don_vi / ten_don_vi"] = " / ".join(header_of.get(f, f) for f in UNIT_FIELDS if f in header_of)
    position = {**mapping, "ma_don_vi / ten_don_vi": -1}
    unit_present = next(f for f in UNIT_FIELDS if f in mapping)
    for name in UNIT_FIELDS:  # a blank unit is reported under the unit column the file has
        header_of.setdefault(name, header_of[unit_present])
        position.setdefault(name, position[unit_present])
    errors = sorted(errors, key=lambda e: (e[0], position.get(e[1], len(headers))))  # stable: ties keep their order
    return [ErrorRow(line, header_of.get(name, name), value, message) for line, name, value, message in errors]


def _duplicate_rows(in_file: list[tuple], in_store: list[int]) -> list[DuplicateRow]:
    """Repeats inside the file (naming the first) and of stored records, by line."""
    rows = [DuplicateRow(line, t("ingest.duplicate.in_file", line=first)) for line, first in in_file]
    if len(in_store):
        stored = t("ingest.duplicate.in_store")
        rows = sorted(rows + [DuplicateRow(line, stored) for line in in_store], key=lambda row: row.line)
    return rows


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _nonblank(column: str) -> str:
    """SQL: the cell holds more than spaces, tabs and non-breaking spaces (checked only when one starts it). A CASE,
    so the regular expression of ingest_trim runs only then: written with AND/OR, the optimiser may put it first."""
    return (
        f"(CASE WHEN {column} IS NULL OR {column} = '' THEN false "
        f"WHEN starts_with({column}, ' ') OR starts_with({column}, chr(9)) OR starts_with({column}, chr(160)) "
        f"THEN ingest_trim({column}) <> '' ELSE true END)"
    )


def _cell_problems(
    cur: duckdb.DuckDBPyConnection,
    headers: list[str],
    mapping: dict[str, int],
    width: int,
    separator: str | None,
    content: FileScan,
    layout: _Layout,
    damaged: bool = False,
) -> list[str]:
    """Cells a reader would otherwise drop without a word. Fills ingest_row_problems (line, field, value, message:
    rows rejected) and returns warnings.

    - CSV cells past the header's width: the row is shifted (often a separator inside an unquoted cell): rejected.
    - Cells under a blank header (or past it in an .xlsx): not stored, said in a warning per column.
    - A quote opened and never closed makes the reader take the following lines into one cell: rejected.
    - Bytes that are not UTF-8 in a UTF-8 file (`damaged`): their cells are rejected, not stored garbled.
    - The template's example row, uploaded as it came: rejected.
    - A NUL byte in a cell (it would be stored and exported as is): rejected.
    """
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE ingest_row_problems (line BIGINT, field VARCHAR, value VARCHAR, message VARCHAR)"
    )
    field_of = {index: name for name, index in mapping.items()}
    warnings = []
    unlabelled = [i for i in range(width) if i >= len(headers) or not headers[i].strip()]
    for i in unlabelled:
        column = t("ingest.column.unlabelled", letter=column_letter(i))
        if separator is not None and i >= len(headers):
            cur.execute(
                f"INSERT INTO ingest_row_problems SELECT line, $column, c{i}, $message FROM ingest_cells "
                f"WHERE {_nonblank(f'c{i}')}",
                {
                    "column": column,
                    "message": t(
                        "ingest.error.past_header",
                        width=len(headers),
                        separator=t(f"upload.separator.{SEPARATOR_NAMES[separator]}"),
                    ),
                },
            )
            continue
        count, first = cur.execute(
            f"SELECT count(*), min(line) FROM ingest_cells WHERE {_nonblank(f'c{i}')}"
        ).fetchall()[0]
        if count:
            warnings.append(
                t("ingest.warning.unlabelled_column", letter=column_letter(i), count=format_number(count), line=first)
            )
    if separator is not None and content.result().has_nul:
        for i in range(min(width, len(headers))):
            cur.execute(
                f"INSERT INTO ingest_row_problems SELECT line, $field, replace(c{i}, chr(0), '␀'), $message "
                f"FROM ingest_rows WHERE contains(c{i}, chr(0))",
                {"field": field_of.get(i, headers[i]), "message": t("intake.error.nul_byte")},
            )
    if damaged:
        for i in range(min(width, len(headers))):
            cur.execute(
                f"INSERT INTO ingest_row_problems SELECT line, $field, c{i}, $message FROM ingest_cells "
                f"WHERE contains(c{i}, '\ufffd')",
                {"field": field_of.get(i, headers[i]), "message": t("ingest.error.damaged_bytes")},
            )
    if "ghi_chu" in mapping:
        notes = [t("ingest.template.example_notes", language) for language in LANGUAGES]
        cur.execute(
            "INSERT INTO ingest_row_problems SELECT line, 'ghi_chu', notes, $message FROM ingest_cells "
            "WHERE trim(notes) IN (SELECT unnest($notes))",
            {"notes": notes, "message": t("ingest.error.example_row")},
        )
    if separator is not None:
        if layout.lines > layout.rows_read + layout.skip_lines:  # line breaks inside cells: a quote may never close
            row_like = "\n[^\n]*" + f"(?:{re.escape(separator)}[^\n]*){{{max(len(headers) - 1, 2)}}}"
            for i in range(min(width, len(headers))):
                cur.execute(
                    f"INSERT INTO ingest_row_problems SELECT line, $field, "
                    f"  left(split_part(c{i}, chr(10), 1), 60) || '…', "
                    f"  replace($message, '{{lines}}', (length(c{i}) - length(replace(c{i}, chr(10), '')))::VARCHAR) "
                    f"FROM ingest_cells WHERE contains(c{i}, chr(10)) AND regexp_matches(c{i}, $pattern)",
                    {
                        "field": field_of.get(i, headers[i]),
                        "pattern": row_like,
                        "message": t("ingest.error.unclosed_quote", lines="{lines}"),
                    },
                )
    return warnings


def _cells_sql(mapping: dict[str, int], width: int, layout: _Layout) -> str:
    """The staged cells under field names (raw, untrimmed), with spreadsheet line numbers: the row's place in the
    read plus the blank rows left out before it (ingest_gaps, usually empty)."""

    def column(name: str) -> str:
        return f"c{mapping[name]}" if name in mapping else "NULL::VARCHAR"

    named = f"""{column('ma_don_vi')} AS unit_code_raw, {column('ten_don_vi')} AS unit_name_raw,
               {column('loai_hoat_dong')} AS type_raw, {column('ten_hoat_dong')} AS title,
               {column('ngay_to_chuc')} AS date_raw, {column('so_nguoi_tham_gia')} AS participants_raw,
               {column('dia_diem')} AS location, {column('kinh_phi')} AS budget_raw,
               {column('ma_hoat_dong')} AS activity_ref, {column('ghi_chu')} AS notes"""
    if not layout.gaps:
        return (
            f"CREATE OR REPLACE TEMP VIEW ingest_cells AS "
            f"SELECT *, rowid + {layout.row0} AS line, {named} FROM ingest_raw"
        )
    return f"""
        CREATE OR REPLACE TEMP VIEW ingest_cells AS
        SELECT r.* EXCLUDE (ingest_rid), r.ingest_rid + {layout.row0} + coalesce(g.line_offset, 0) AS line, {named}
        FROM (SELECT *, rowid AS ingest_rid FROM ingest_raw) r
        ASOF LEFT JOIN ingest_gaps g ON r.ingest_rid >= g.first_row"""


def _filled(mapping: dict[str, int], width: int) -> str:
    # Most likely filled columns first: the OR stops at the first non-blank cell.
    order = [mapping[n] for n in ("ten_hoat_dong", "ngay_to_chuc", "loai_hoat_dong") if n in mapping]
    order += [i for i in range(width) if i not in order]
    return " OR ".join(_nonblank(f"c{i}") for i in order)


TOTAL_WORDS = r"(tong cong|cong|tong|tong so|tong hop|cong tong|total)\s*:?"


def _left_out(
    cur: duckdb.DuckDBPyConnection, headers: list[str], mapping: dict[str, int], width: int
) -> list[SkippedRow]:
    """Rows with no date that are not activities: only a running number under STT/TT (a template numbered in
    advance), a totals row ("Tổng cộng", "Cộng", "Tổng"), and the lines under the table (signatures, "Nơi nhận":
    no type and no date, below the last dated row or the totals row). (line, reason) in file order."""
    date, kind = f"c{mapping['ngay_to_chuc']}", f"c{mapping['loai_hoat_dong']}"
    numbers = [i for i, header in enumerate(headers) if header and is_number_header(header)]
    others = [i for i in range(width) if i not in numbers]

    def blank(column: str) -> str:
        return f"NOT coalesce({_nonblank(column)}, false)"

    numbered = " AND ".join(blank(f"c{i}") for i in others) if numbers else "false"
    first_cell = (
        "coalesce(" + ", ".join(f"CASE WHEN {_nonblank(f'c{i}')} THEN c{i} END" for i in others) + ")"
        if others
        else "NULL"
    )
    cur.execute(f"""
        CREATE OR REPLACE TEMP TABLE ingest_left_out AS
        WITH undated AS (
            SELECT line, {numbered} AS numbered,
                   regexp_full_match(strip_accents(lower(ingest_trim({first_cell}))), '{TOTAL_WORDS}') AS total,
                   {blank(kind)} AS untyped
            FROM ingest_cells WHERE {blank(date)} AND ({_filled(mapping, width)})
        ),
        table_end AS (
            SELECT coalesce((SELECT min(line) FROM undated WHERE total),
                            (SELECT max(line) FROM ingest_cells WHERE {_nonblank(date)}), 0) AS line
        )
        SELECT line, CASE WHEN numbered THEN 'numbered' WHEN total THEN 'total' ELSE 'signature' END AS reason
        FROM undated
        WHERE numbered OR total OR (untyped AND line > (SELECT line FROM table_end))""")
    return [
        SkippedRow(*row) for row in cur.execute("SELECT line, reason FROM ingest_left_out ORDER BY line").fetchall()
    ]


def _left_out_warnings(skipped: list[SkippedRow]) -> list[str]:
    warnings = []
    for reason in ("total", "signature"):
        lines = [row.line for row in skipped if row.reason == reason]
        if lines:
            shown = ", ".join(str(n) for n in lines[:10]) + ("…" if len(lines) > 10 else "")
            warnings.append(t(f"intake.warning.left_out.{reason}", lines=shown, count=len(lines)))
    return warnings


def _rows_sql(mapping: dict[str, int], width: int, any_left_out: bool) -> str:
    """The rows that are records: not blank, and not left out (see _left_out)."""
    left_out = " AND line NOT IN (SELECT line FROM ingest_left_out)" if any_left_out else ""
    return (
        f"CREATE OR REPLACE TEMP VIEW ingest_rows AS "
        f"SELECT * FROM ingest_cells WHERE ({_filled(mapping, width)}){left_out}"
    )
