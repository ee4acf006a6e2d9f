"""Files as offices draw them (contract 1.1): finding the header under a title block, the sheet that holds it,
blank runs that cost nothing, merged cells, and the bounds every file is held to before it is read whole.

Used by analytics/intake/check.py; it never reads a whole file into memory before the bounds have been checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from analytics.core.i18n import t
from analytics.core.text import format_number

if TYPE_CHECKING:
    import pyarrow as pa

HEADER_SEARCH_ROWS = 20  # the header is the first of the first 20 non-blank rows that holds the required headers
MAX_COLUMNS = 200  # a header (or an .xlsx row) wider than this is refused with its true width
MAX_HEADER_BYTES = 4 * 2**20  # a header line longer than this is refused with its true length
XLSX_MAX_UNPACKED = 200 * 2**20  # an .xlsx whose parts unpack to more than this is refused before it is opened
XLSX_MAX_RATIO = 100  # ... and so is one whose part unpacks to more than 100 times its packed size
NUMBER_HEADERS = {"stt", "tt", "sott"}  # the running-number column of a numbered template
_BLANK_RECORD = re.compile(rb"[\s,;]*")


class LayoutError(ValueError):
    """A bound was passed or no header was found: the message is one Vietnamese sentence."""


# -- the header ---------------------------------------------------------------------------------------
@dataclass
class HeaderRow:
    index: int  # position among the rows searched (0-based)
    cells: list[str]
    fields: dict[str, int]  # field -> column index (first occurrence)
    complete: bool  # holds every required header


def header_row(
    rows: Iterable[list], field_of: Callable[[str], str | None], required: tuple[str, ...], unit_fields: tuple[str, ...]
) -> HeaderRow | None:
    """The first row that holds the required headers, else the row naming most fields (for a precise message),
    else None. Only the first HEADER_SEARCH_ROWS non-blank rows are looked at."""
    best = None
    seen = 0
    for index, row in enumerate(rows):
        cells = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in row]
        if not any(cells):
            continue
        seen += 1
        fields: dict[str, int] = {}
        for column, cell in enumerate(cells):
            name = field_of(cell) if cell else None
            if name and name not in fields:
                fields[name] = column
        complete = all(f in fields for f in required) and any(f in fields for f in unit_fields)
        candidate = HeaderRow(index, cells, fields, complete)
        if complete:
            return candidate
        if fields and (best is None or len(fields) > len(best.fields)):
            best = candidate
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best


def is_number_header(cell: str) -> bool:
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFD", cell.casefold()).replace("đ", "d")) in NUMBER_HEADERS


@dataclass
class CsvHeader:
    separator: str
    header: HeaderRow | None
    skip_lines: int  # physical lines up to and including the header


def find_csv_header(text_head: str, separators: list[str], field_of, required, unit_fields) -> CsvHeader:
    """Try each separator (the sniffed one first) on the first rows; the first that yields a complete header
    wins, else the sniffed one with its best row."""
    fallback = None
    for separator in separators:
        reader = csv.reader(io.StringIO(text_head), delimiter=separator)
        starts, rows = [], []
        try:
            for row in reader:
                rows.append(row)
                starts.append(reader.line_num)
                if len(rows) >= 4 * HEADER_SEARCH_ROWS:
                    break
        except csv.Error:
            pass
        found = header_row(rows, field_of, required, unit_fields)
        skip = starts[found.index] if found else 0
        result = CsvHeader(separator, found, skip)
        if found and found.complete:
            return result
        fallback = fallback or result
    return fallback


def count_columns(chunks: Iterable[bytes], separator: bytes) -> tuple[int, int]:
    """(columns, bytes) of a line read in chunks up to its line break; quotes respected."""
    columns, size, quoted = 1, 0, False
    for chunk in chunks:
        end = -1
        if not quoted and b'"' not in chunk:
            end = chunk.find(b"\n")
            part = chunk if end < 0 else chunk[:end]
            columns += part.count(separator)
            size += len(part)
        else:
            for i, byte in enumerate(chunk):
                if byte == 34:
                    quoted = not quoted
                elif not quoted and byte == 10:
                    end = i
                    break
                elif not quoted and byte == separator[0]:
                    columns += 1
            size += end if end >= 0 else len(chunk)
        if end >= 0:
            break
    return columns, size


def too_many_columns(count: int) -> LayoutError:
    return LayoutError(t("intake.read.too_many_columns", count=format_number(count), limit=format_number(MAX_COLUMNS)))


# -- blank runs ---------------------------------------------------------------------------------------
@dataclass
class Stripped:
    gaps: list[tuple[int, int]] = field(default_factory=list)  # (record index in the copy, blank records before it)
    lines: int = 0  # physical lines written
    records: int = 0

    def removed_before(self, record: int) -> int:
        removed = 0
        for first, before in self.gaps:
            if first > record:
                break
            removed = before
        return removed


def strip_blank_records(lines: Iterable[bytes], out) -> Stripped:
    """Copy CSV lines to `out` without blank records (empty, spaces, or only separators) outside quoted cells,
    remembering how many were left out before each kept record: row numbers stay those of the spreadsheet and
    a run of a million blank lines costs one pass, not a million rows."""
    stripped = Stripped()
    removed = 0
    pending = False  # a run of blank records ended and the next kept record must be noted
    quoted = False
    for line in lines:
        if not quoted and _BLANK_RECORD.fullmatch(line):
            removed += 1
            pending = True
            continue
        if not quoted:
            if pending:
                stripped.gaps.append((stripped.records, removed))
                pending = False
            stripped.records += 1
        out.write(line)
        stripped.lines += 1
        if line.count(b'"') % 2:
            quoted = not quoted
    if stripped.lines and not line.endswith(b"\n"):
        out.write(b"\n")
    return stripped


# -- xlsx ---------------------------------------------------------------------------------------------
def check_xlsx_bounds(data: bytes) -> None:
    """Refuse, in the time it takes to read the zip's directory, a workbook that would unpack to too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise LayoutError(t("ingest.read.bad_xlsx")) from None
    with archive:
        items = archive.infolist()
    unpacked = sum(i.file_size for i in items)
    ratio = max((i.file_size / max(i.compress_size, 1) for i in items if i.file_size > 2**20), default=1)
    if unpacked > XLSX_MAX_UNPACKED or ratio > XLSX_MAX_RATIO:
        raise LayoutError(
            t(
                "intake.read.xlsx_too_big",
                size=_mib(unpacked),
                packed=_mib(len(data)),
                limit=_mib(XLSX_MAX_UNPACKED),
                ratio=format_number(ratio),
                max_ratio=XLSX_MAX_RATIO,
            )
        )


def _mib(size: int) -> str:
    return format_number(size / 2**20, 1) + " MB"


def cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(value)
    return unicodedata.normalize("NFC", str(value))


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<(\w+:)?f[ >]")


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - 64
    return index - 1


@dataclass
class XlsxSheet:
    name: str
    table: pa.Table  # cells after the header as text, blank rows left out
    headers: list[str]
    header_row: int  # spreadsheet row of the header (1-based)
    lines: list[int]  # spreadsheet row of each row of `table`
    sheets_searched: list[str]


def read_xlsx(data: bytes, field_of, required, unit_fields) -> XlsxSheet:
    """The first sheet with a header row (an instruction sheet before it is passed over), read as text from the
    header down. A formula counts as the value Excel saved with it, or its text when saved without one; a cell
    merged down gives its value to every row it covers."""
    import openpyxl
    import pyarrow as pa

    check_xlsx_bounds(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign zip: not a workbook we can read
        raise LayoutError(t("ingest.read.bad_xlsx")) from None
    try:
        archive = book._archive
        chosen, best, names = None, None, []
        for sheet in book.worksheets:
            if not hasattr(sheet, "_worksheet_path"):
                continue  # a chart sheet
            names.append(sheet.title)
            sheet.reset_dimensions()  # some writers state too small a size: read every row and column there is
            head = []
            for row in sheet.iter_rows(values_only=True, max_row=None):
                if len(row) > MAX_COLUMNS and any(v is not None for v in row[MAX_COLUMNS:]):
                    raise too_many_columns(max(i for i, v in enumerate(row) if v is not None) + 1)
                head.append([cell_text(v) for v in row[: MAX_COLUMNS + 1]])
                if len(head) >= 4 * HEADER_SEARCH_ROWS:
                    break
            found = header_row(head, field_of, required, unit_fields)
            if found and found.complete:
                chosen = (sheet, found)
                break
            if found and (best is None or len(found.fields) > len(best[1].fields)):
                best = (sheet, found)
        chosen = chosen or best
        if chosen is None:
            raise LayoutError(t("intake.read.no_header_sheets", sheets=", ".join(f"“{n}”" for n in names)))
        sheet, found = chosen
        sheet_xml = archive.read(sheet._worksheet_path)
        formulas = {}
        if _FORMULA.search(sheet_xml):
            formula_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                formula_sheet = formula_book[sheet.title]
                formula_sheet.reset_dimensions()
                for r, row in enumerate(formula_sheet.iter_rows(values_only=True)):
                    for c, value in enumerate(row[: MAX_COLUMNS + 1]):
                        if isinstance(value, str) and value.startswith("="):
                            formulas[(r, c)] = value
            finally:
                formula_book.close()
        merges = [
            (_column_index(a), int(r1) - 1, _column_index(b), int(r2) - 1) for a, r1, b, r2 in _MERGE.findall(sheet_xml)
        ]
        del sheet_xml
        # Ranges merged down below the header: (first row, last row, column), by first row; those covering the row
        # being read are `active`, with the value written in their first row.
        downs = sorted((r1, r2, c1) for c1, r1, c2, r2 in merges if r2 > r1 and r1 > found.index)
        active: list[tuple[int, int, str | None]] = []
        next_down = 0
        header_index = found.index
        columns: list[list[str | None]] = []
        lines: list[int] = []
        for r, row in enumerate(sheet.iter_rows(values_only=True)):
            if r <= header_index:
                continue
            values = [
                cell_text(v) if v is not None else formulas.get((r, c)) for c, v in enumerate(row[: MAX_COLUMNS + 1])
            ]
            if len(row) > MAX_COLUMNS and any(v is not None for v in row[MAX_COLUMNS:]):
                raise too_many_columns(max(i for i, v in enumerate(row) if v is not None) + 1)
            if downs:
                active = [merge for merge in active if merge[0] >= r]
                for _, c, value in active:
                    values += [None] * (c + 1 - len(values))
                    if values[c] is None:
                        values[c] = value
                while next_down < len(downs) and downs[next_down][0] <= r:
                    first, last, c = downs[next_down]
                    next_down += 1
                    if first == r and c < MAX_COLUMNS:
                        active.append((last, c, values[c] if c < len(values) else None))
            while values and (values[-1] is None or values[-1] == ""):
                values.pop()
            if not values:
                continue  # a blank row costs nothing
            for c, value in enumerate(values):
                if c == len(columns):
                    columns.append([None] * len(lines))
                columns[c].append(value)
            for c in range(len(values), len(columns)):
                columns[c].append(None)
            lines.append(r + 1)
        headers = found.cells
        if len(headers) > MAX_COLUMNS:
            raise too_many_columns(len(headers))
        width = max(len(headers), len(columns))
        arrays = {
            f"c{i}": pa.array(columns[i] if i < len(columns) else [None] * len(lines), pa.string())
            for i in range(width)
        }
        return XlsxSheet(
            sheet.title,
            pa.table(arrays) if arrays else pa.table({"c0": pa.array([], pa.string())}),
            headers,
            header_index + 1,
            lines,
            names,
        )
    finally:
        book.close()
