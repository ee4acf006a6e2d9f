"""Tables to CSV and XLSX, safe to open in Excel.

- CSV: UTF-8 with BOM (Excel then reads Vietnamese), dates dd/mm/yyyy, header row in Vietnamese.
- XLSX: styled frozen header, real dates and numbers, a second sheet stating filters, as-of date and time made.
- Formula injection: a text cell beginning with =, +, -, @, tab or CR gets a leading ' in CSV; in XLSX the text
  is kept as it is in a text cell marked "quote prefix" (Excel's own ' marker), and the workbook is written with
  formulas off, so no cell is ever a formula.
- Activity exports from the store stream: DuckDB writes the CSV itself (COPY) and the workbook is filled batch by
  batch in constant-memory mode, so a million rows never sit in pandas. Up to SORTED_UP_TO records come sorted by
  date and unit; larger exports keep the store's order (a sort would hold them all in DuckDB's memory).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Sequence

import pandas as pd
import xlsxwriter

from analytics.core.i18n import t
from analytics.core.text import format_date
from analytics.measures.views import ActivityFilter
from analytics.store.database import Database, sql

BOM = "\ufeff".encode("utf-8")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576  # rows in a worksheet, header included
BATCH_ROWS = 20_000
SORTED_UP_TO = 100_000
WIDTH_SAMPLE_ROWS = 2_000
MIN_WIDTH, MAX_WIDTH = 8, 60
DATE_FORMAT_XLSX = "dd/mm/yyyy"
STAMP_FORMAT_XLSX = "dd/mm/yyyy hh:mm"

TEXT, DATE, INTEGER, NUMBER = "text", "date", "integer", "number"


class ExportError(ValueError):
    """An export that cannot be made; the message is Vietnamese and says what to do."""


class TooManyRowsForExcel(ExportError):
    def __init__(self, rows: int, language: str | None = None):
        self.rows = rows
        super().__init__(
            t(
                "export.error.too_many_rows",
                language,
                rows=f"{rows:,}".replace(",", "."),
                limit=f"{EXCEL_MAX_ROWS - 1:,}".replace(",", "."),
            )
        )


def neutralise(text: str) -> str:
    """The CSV form of a text cell: a leading ' when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _sql_neutralise(expression: str) -> str:
    return f"CASE WHEN regexp_matches({expression}, '^[=+\\-@\\t\\r]') THEN '''' || {expression} ELSE {expression} END"


# -- activity records from the store ---------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str  # column of export_activities.sql
    header_key: str  # catalogue key of the Vietnamese header
    kind: str


ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("unit_code", "export.col.unit_code", TEXT),
    Column("unit_name", "export.col.unit_name", TEXT),
    Column("district_name", "export.col.district", TEXT),
    Column("group_label", "export.col.group", TEXT),
    Column("type_label", "export.col.type", TEXT),
    Column("activity_date", "export.col.date", DATE),
    Column("title", "export.col.title", TEXT),
    Column("participants", "export.col.participants", INTEGER),
    Column("location", "export.col.location", TEXT),
    Column("budget_vnd", "export.col.budget", INTEGER),
    Column("activity_ref", "export.col.ref", TEXT),
    Column("notes", "export.col.notes", TEXT),
)


# The activity table as the explorer and unit pages show it (their downloads equal the screen): same columns,
# same headings, newest first.
SCREEN_COLUMNS: tuple[Column, ...] = (
    Column("activity_date", "col.date", DATE),
    Column("unit_name", "col.unit", TEXT),
    Column("title", "col.title", TEXT),
    Column("type_label", "col.type", TEXT),
    Column("group_label", "col.group", TEXT),
    Column("participants", "col.participants", INTEGER),
    Column("location", "col.location", TEXT),
    Column("budget_vnd", "col.budget", INTEGER),
    Column("unit_code", "col.code", TEXT),
    Column("activity_id", "col.id", INTEGER),
)

# An export selects exactly what a page's filter shows.
ActivitySelection = ActivityFilter


def _export_query() -> str:
    return f"WITH filtered AS (\n{sql('view_filtered_activities')}\n)\n{sql('export_activities')}"


def _activities_query(columns: str, rows: int, newest_first: bool = False) -> str:
    by = "activity_date DESC, activity_id DESC" if newest_first else "activity_date, unit_code, activity_id"
    order = f" ORDER BY {by}" if rows <= SORTED_UP_TO else ""
    return f"SELECT {columns} FROM ({_export_query()}){order}"


def count_activities(db: Database, selection) -> int:
    with db.cursor() as cur:
        return cur.execute(f"SELECT count(*) FROM ({_export_query()})", selection.params()).fetchone()[0]


def _headers(columns: Sequence[Column], language: str | None) -> list[str]:
    return [t(c.header_key, language) for c in columns]


def _copy_query(
    headers: list[str], rows: int, columns: Sequence[Column] = ACTIVITY_COLUMNS, newest_first: bool = False
) -> str:
    """export_activities.sql shaped for CSV: text neutralised, dates dd/mm/yyyy, Vietnamese headers."""
    shaped = []
    for column, header in zip(columns, headers):
        quoted = '"' + header.replace('"', '""') + '"'
        if column.kind == DATE:
            shaped.append(f"strftime({column.name}, '%d/%m/%Y') AS {quoted}")
        elif column.kind == TEXT:
            shaped.append(f"{_sql_neutralise(column.name)} AS {quoted}")
        else:
            shaped.append(f"{column.name} AS {quoted}")
    return _activities_query(", ".join(shaped), rows, newest_first)


def write_activities_csv(
    db: Database,
    selection,
    target: Path | BinaryIO,
    language: str | None = "vi",
    columns: Sequence[Column] = ACTIVITY_COLUMNS,
    newest_first: bool = False,
) -> int:
    """Streams the selected records to `target` as CSV. DuckDB writes the file; Python only adds the BOM.
    columns/newest_first: SCREEN_COLUMNS and True give the table a page shows (the command line keeps the defaults)."""
    headers = _headers(columns, language)
    query = _copy_query(headers, count_activities(db, selection), columns, newest_first)
    with tempfile.TemporaryDirectory(prefix="antq-export-") as scratch:
        body = Path(scratch) / "body.csv"
        with db.cursor() as cur:
            written = cur.execute(
                f"COPY ({query}) TO '{body}' (FORMAT csv, HEADER, DELIMITER ',')", selection.params()
            ).fetchone()
        rows = int(written[0]) if written else 0
        with _open_binary(target) as out, open(body, "rb") as src:
            out.write(BOM)
            shutil.copyfileobj(src, out, 1 << 20)
    return rows


def write_activities_xlsx(
    db: Database,
    selection,
    target: Path | BinaryIO,
    about: "About",
    language: str | None = "vi",
    columns: Sequence[Column] = ACTIVITY_COLUMNS,
    newest_first: bool = False,
) -> int:
    """The selected records as a workbook; TooManyRowsForExcel above Excel's sheet size (offer CSV)."""
    rows = count_activities(db, selection)
    if rows > EXCEL_MAX_ROWS - 1:
        raise TooManyRowsForExcel(rows, language)
    names = [c.name for c in columns]
    with db.cursor() as cur:
        cur.execute(_activities_query(", ".join(names), rows, newest_first), selection.params())

        def batches() -> Iterator[list[tuple]]:
            while batch := cur.fetchmany(BATCH_ROWS):
                yield batch

        write_xlsx(target, _headers(columns, language), [c.kind for c in columns], batches(), about, rows, language)
    return rows


# -- shown tables (small frames from the pages) -----------------------------------------------------------
def _cell_text(value, language: str | None) -> str:
    """A frame cell as CSV text (before neutralising)."""
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return t("cli.yes" if value else "cli.no", language)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        value = pd.Timestamp(value)
        return value.strftime("%d/%m/%Y") if value == value.normalize() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell_text(v, language) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _numeric_kind(series: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series):
        return INTEGER
    if pd.api.types.is_float_dtype(series):
        return NUMBER
    return None


def frame_kinds(frame: pd.DataFrame) -> list[str]:
    kinds = []
    for name in frame.columns:
        series = frame[name]
        kind = _numeric_kind(series)
        if kind is None and pd.api.types.is_datetime64_any_dtype(series):
            kind = DATE
        if kind is None:
            sample = series.dropna()
            if len(sample) and all(isinstance(v, dt.date) for v in sample.head(50)):
                kind = DATE
        kinds.append(kind or TEXT)
    return kinds


def frame_to_csv(frame: pd.DataFrame, language: str | None = "vi") -> bytes:
    """The frame as shown (its headers, its rows) as CSV bytes: BOM, dd/mm/yyyy, formulas neutralised."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    kinds = frame_kinds(frame)
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for value, kind in zip(row, kinds):
            text = _cell_text(value, language)
            cells.append(neutralise(text) if kind == TEXT else text)
        writer.writerow(cells)
    return BOM + buffer.getvalue().encode("utf-8")


def frame_to_xlsx(frame: pd.DataFrame, about: "About", language: str | None = "vi") -> bytes:
    if len(frame) > EXCEL_MAX_ROWS - 1:
        raise TooManyRowsForExcel(len(frame), language)
    kinds = frame_kinds(frame)
    rows = (
        tuple(_frame_value(v, k, language) for v, k in zip(row, kinds))
        for row in frame.itertuples(index=False, name=None)
    )
    buffer = io.BytesIO()
    write_xlsx(buffer, [str(c) for c in frame.columns], kinds, _chunks(rows), about, len(frame), language)
    return buffer.getvalue()


def _missing(value) -> bool:
    if value is None or isinstance(value, (list, tuple, dict)):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _frame_value(value, kind: str, language: str | None):
    if kind in (DATE, INTEGER, NUMBER) and _missing(value):
        return None
    if kind == DATE:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        return pd.Timestamp(value).to_pydatetime()
    if kind in (INTEGER, NUMBER):
        return int(value) if kind == INTEGER else float(value)
    return _cell_text(value, language)


def _chunks(rows: Iterable[tuple], size: int = BATCH_ROWS) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- the workbook ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class About:
    """What the second sheet states."""

    title: str
    filters: dict[str, str] = field(default_factory=dict)  # Vietnamese label → value
    as_of: dt.date | None = None
    made_at: dt.datetime | None = None


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 11
    if isinstance(value, (int, float)):
        return len(f"{value:,.0f}") + 1
    return max((len(line) for line in str(value).split("\n")), default=0)


def write_xlsx(
    target: Path | BinaryIO,
    headers: list[str],
    kinds: list[str],
    batches: Iterable[list[tuple]],
    about: About,
    rows: int,
    language: str | None = "vi",
) -> None:
    """Sheet 1: the table (frozen, filterable, styled header); sheet 2: what the table is."""
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": DATE_FORMAT_XLSX,
        "tmpdir": tempfile.gettempdir(),
    }
    workbook = xlsxwriter.Workbook(target if not isinstance(target, Path) else str(target), options)
    workbook.set_properties({"title": about.title, "comments": t("export.about.generator", language)})
    header = workbook.add_format(
        {
            "bold": True,
            "bg_color": "#DCE6F1",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
            "font_name": "Times New Roman",
            "font_size": 12,
        }
    )
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top"}
    formats = {
        TEXT: workbook.add_format(base),
        DATE: workbook.add_format({**base, "num_format": DATE_FORMAT_XLSX, "align": "left"}),
        INTEGER: workbook.add_format({**base, "num_format": "#,##0"}),
        NUMBER: workbook.add_format({**base, "num_format": "#,##0.0"}),  # "#,##0.##" showed 100 as "100."
    }
    quoted = workbook.add_format({**base, "quote_prefix": True})
    sheet = workbook.add_worksheet(t("export.sheet.data", language)[:31])
    info = workbook.add_worksheet(t("export.sheet.about", language)[:31])

    iterator = iter(batches)
    first = next(iterator, [])
    widths = [_width(h) for h in headers]
    for row in first[:WIDTH_SAMPLE_ROWS]:
        widths = [max(w, _width(v)) for w, v in zip(widths, row)]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, MIN_WIDTH), MAX_WIDTH), formats[kinds[col]])
    sheet.set_row(0, 32)
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title, header)
    sheet.freeze_panes(1, 0)

    row_no = 0
    for batch in _prepend(first, iterator):
        for record in batch:
            row_no += 1
            for col, (value, kind) in enumerate(zip(record, kinds)):
                _write_cell(sheet, row_no, col, value, kind, formats, quoted)
    sheet.autofilter(0, 0, max(row_no, 1), len(headers) - 1)

    _write_about(workbook, info, about, rows, base, quoted, language)
    workbook.close()


def _prepend(first: list, rest: Iterator[list]) -> Iterator[list]:
    if first:
        yield first
    yield from rest


def _write_cell(sheet, row: int, col: int, value, kind: str, formats: dict, quoted) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if kind == DATE and isinstance(value, (dt.date, dt.datetime)):
        sheet.write_datetime(row, col, value, formats[DATE])
    elif kind in (INTEGER, NUMBER) and isinstance(value, (int, float)):
        sheet.write_number(row, col, value, formats[kind])
    elif text := str(value):
        sheet.write_string(row, col, text, quoted if text.startswith(FORMULA_TRIGGERS) else formats[TEXT])


def _write_about(workbook, info, about: About, rows: int, base: dict, quoted, language) -> None:
    label = workbook.add_format({**base, "bold": True})
    title = workbook.add_format({**base, "bold": True, "font_size": 14})
    text = workbook.add_format({**base, "text_wrap": True})
    date = workbook.add_format({**base, "num_format": DATE_FORMAT_XLSX, "align": "left"})
    stamp = workbook.add_format({**base, "num_format": STAMP_FORMAT_XLSX, "align": "left"})
    number = workbook.add_format({**base, "num_format": "#,##0", "align": "left"})
    plain = workbook.add_format(base)
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 70)

    def put(row: int, value: str) -> None:
        info.write_string(row, 1, value, quoted if value.startswith(FORMULA_TRIGGERS) else text)

    info.write_string(0, 0, about.title, title)
    row = 2
    info.write_string(row, 0, t("export.about.filters", language), label)
    if about.filters:
        for name, value in about.filters.items():
            row += 1
            info.write_string(row, 0, str(name), plain)
            put(row, str(value))
    else:
        put(row, t("export.about.no_filters", language))
    row += 2
    info.write_string(row, 0, t("export.about.as_of", language), label)
    if about.as_of:
        info.write_datetime(row, 1, about.as_of, date)
    else:
        put(row, t("export.about.as_of_none", language))
    row += 1
    info.write_string(row, 0, t("export.about.made_at", language), label)
    info.write_datetime(row, 1, (about.made_at or dt.datetime.now()).replace(microsecond=0, tzinfo=None), stamp)
    row += 1
    info.write_string(row, 0, t("export.about.rows", language), label)
    info.write_number(row, 1, rows, number)
    row += 1
    info.write_string(row, 0, t("export.about.source", language), label)
    put(row, t("export.about.generator", language))


# -- helpers ------------------------------------------------------------------------------------------
class _open_binary:
    """A path opened for writing, or a given binary stream left open."""

    def __init__(self, target: Path | BinaryIO):
        self.target = target
        self.handle = None

    def __enter__(self) -> BinaryIO:
        if isinstance(self.target, (str, os.PathLike)):
            self.handle = open(self.target, "wb")
            return self.handle
        return self.target

    def __exit__(self, *exc) -> None:
        if self.handle is not None:
            self.handle.close()


def describe_selection(
    selection: ActivitySelection,
    units: dict[str, str],
    types: dict[str, str],
    groups: dict[str, str],
    language: str | None = "vi",
) -> dict[str, str]:
    """The filters of a selection in words, for the workbook's second sheet."""
    stated: dict[str, str] = {}
    if selection.unit:
        stated[t("export.filter.unit", language)] = f"{units.get(selection.unit, selection.unit)} ({selection.unit})"
    if selection.district:
        stated[t("export.filter.district", language)] = units.get(selection.district, selection.district)
    if selection.level:
        stated[t("export.filter.level", language)] = t(f"level.{selection.level}", language)
    if selection.group:
        stated[t("export.filter.group", language)] = groups.get(selection.group, selection.group)
    if selection.types:
        stated[t("export.filter.type", language)] = ", ".join(types.get(c, c) for c in selection.types)
    if selection.lo:
        stated[t("export.filter.from", language)] = format_date(selection.lo)
    if selection.hi:
        stated[t("export.filter.to", language)] = format_date(selection.hi)
    if selection.text:
        stated[t("export.filter.text", language)] = selection.text
    return stated
