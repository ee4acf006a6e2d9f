"""What the tests build, in one place (as Datasette's tests/fixtures.py serves its suite): the store factory, the
files a clerk or a unit uploads, the command line and the dashboard in AppTest. Test modules import from here (or
from tests/e2e/pages.py for the browser's page objects), never from each other or from conftest.py.

The store factory
    make_store(path, rows=(), *, records=(), accounts={}) -> Context
        Opens (creating and migrating) the store at `path` with the shipped plan and registry, adds the
        activities and accounts given, and returns the open Context; the caller closes it.
        rows: (unit_code, type_code, "YYYY-MM-DD"[, title]); records: whole activity rows (see EXPORT_RECORDS);
        accounts: {name: (role, unit_code or None, password)}, added by "tester".
    store_file(path, rows=(), **options) -> Path
        The same store, closed again: for AppTest (use_db), the command line and servers.
The `ctx` and `empty_db` fixtures (conftest.py) are built by it; a module configures its `ctx` with
`pytest.mark.store(rows=..., records=..., accounts=...)`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import docx
import xlsxwriter

from analytics.access import auth
from analytics.context import Context, open_context
from analytics.core.settings import DATA_DIR
from analytics.core.text import fold
from analytics.unit_reports import cycle
from analytics.unit_reports.files import check_file as check_report_file

ROOT = Path(__file__).resolve().parent.parent

# Sign-in throttling for the account tests: slowed after 3 failures (5 s, up to 60 s), locked after 6 for 15 min.
SLOWED = auth.AuthSettings(
    slow_after_failures=3,
    slow_down_seconds=5,
    max_slow_down_seconds=60,
    lock_after_failures=6,
    lock_minutes=15,
    min_password_length=8,
)
NO_WAIT = replace(SLOWED, slow_down_seconds=0, max_slow_down_seconds=0)  # the same, never slowed


# -- stores ----------------------------------------------------------------------------------------------------
def add_activities(ctx: Context, rows: Iterable[tuple], title: str = "Hoạt động thử") -> None:
    """rows: (unit_code, type_code, 'YYYY-MM-DD') titled "<title> <i>", or (…, 'YYYY-MM-DD', title) as given."""
    with ctx.db.transaction() as cur:
        start = cur.execute("SELECT coalesce(max(id), 0) FROM activities").fetchone()[0]
        values = []
        for i, (unit, type_code, day, *named) in enumerate(rows):
            name = named[0] if named else f"{title} {i}"
            values.append([start + i + 1, unit, type_code, name, dt.date.fromisoformat(day), 10, fold(name)])
        cur.executemany(
            "INSERT INTO activities (id, unit_code, type_code, title, activity_date, participants, title_key) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            values,
        )


def insert_records(ctx: Context, records: Iterable[tuple]) -> None:
    """Whole activity rows: (id, unit, type, title, date, participants, location, budget, ref, notes, superseded_by)."""
    with ctx.db.transaction() as cur:
        cur.executemany(
            "INSERT INTO activities (id, unit_code, type_code, title, activity_date, participants, location, "
            "budget_vnd, activity_ref, notes, title_key, superseded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [i, unit, ty, title, dt.date.fromisoformat(day), n, loc, budget, ref, notes, fold(title), sup]
                for i, unit, ty, title, day, n, loc, budget, ref, notes, sup in records
            ],
        )


def make_store(
    path: Path,
    rows: Iterable[tuple] = (),
    *,
    records: Iterable[tuple] = (),
    accounts: Mapping[str, tuple[str, str | None, str]] | None = None,
) -> Context:
    """The one factory for test stores (module docstring). Returns the open Context."""
    ctx = open_context(path)
    try:
        rows, records = list(rows), list(records)
        if rows:
            add_activities(ctx, rows)
        if records:
            insert_records(ctx, records)
        for name, (role, unit, password) in (accounts or {}).items():
            auth.add_account(ctx.db, name, password, role, unit, ctx.units, "tester", auth.AuthSettings())
    except BaseException:
        ctx.close()
        raise
    return ctx


def store_file(path: Path, rows: Iterable[tuple] = (), **options) -> Path:
    """make_store, closed again: the path, for AppTest, the command line and servers."""
    make_store(path, rows, **options).close()
    return Path(path)


# The accounts of the sign-in tests (AppTest and browser): name -> (role, unit, password).
ACCOUNTS = {
    "xem": ("viewer", None, "mat-khau-xem-1"),
    "nop703": ("uploader", "703", "mat-khau-nop-1"),
    "quantri": ("admin", None, "mat-khau-qtri-1"),
}
PASSWORDS = {name: password for name, (_, _, password) in ACCOUNTS.items()}


def sign_in(at, name: str, password: str):
    """Fills an AppTest run's sign-in form and submits it; returns the run that follows."""
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def with_accounts(path: Path) -> Path:
    """The store at `path` (e.g. a copy of the demo store) with ACCOUNTS added."""
    return store_file(path, accounts=ACCOUNTS)


# The tiny store of the export tests: formula-looking cells, a superseded row, a row after the deadline.
# (id, unit, type, title, date, participants, location, budget, ref, notes, superseded_by)
EXPORT_RECORDS = [
    (
        1,
        "710",
        "anti_drug",
        '=HYPERLINK("http://x","bấm")',
        "2022-03-05",
        120,
        "Nhà văn hóa, ấp 1",
        1500000,
        "GD-01",
        "-5 người vắng",
        None,
    ),
    (
        2,
        "25456",
        "civilised_town",
        "Ngày Chủ nhật xanh",
        "2022-04-10",
        None,
        "@sân",
        None,
        None,
        "dòng 1\ndòng 2",
        None,
    ),
    (3, "710", "anti_drug", "+84 tuyên truyền", "2022-12-20", 5, "\tô", 0, "", "\rghi", None),
    (4, "710", "anti_drug", "bản cũ đã thay", "2022-03-06", 1, None, None, None, None, 99),
    (5, "72", "green_startup", "Khởi nghiệp xanh", "2022-02-01", 30, None, 2000000, None, None, None),
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a cell starting with one of these would start a formula


def settings_with_auth(tmp_path: Path, **values) -> Path:
    """A settings file like the shipped one (same plan, taxonomy, registry) with a different [auth] section."""
    text = (DATA_DIR / "settings.toml").read_text(encoding="utf-8").split("[auth]")[0]
    for name in ("plans/antq-2022.toml", "activity_types.toml", "units.csv"):
        text = text.replace(f'"{name}"', json.dumps(str(DATA_DIR / name)))
    text += "[auth]\n" + "".join(f"{key} = {value}\n" for key, value in values.items())
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- submission files (contract 1 and 1.1) ---------------------------------------------------------------------
HEADER = [
    "ma_don_vi",
    "ten_don_vi",
    "loai_hoat_dong",
    "ten_hoat_dong",
    "ngay_to_chuc",
    "so_nguoi_tham_gia",
    "dia_diem",
    "kinh_phi",
    "ma_hoat_dong",
    "ghi_chu",
]
GOOD = [
    "25456",
    "Phường 1",
    "anti_drug",
    "Tuyên truyền phòng, chống ma túy",
    "19/05/2022",
    "1.200",
    "Nhà văn hóa",
    "1.500.000 đ",
    "HD-1",
    "ghi chú",
]


def cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Excel writes it: a base letter, then the tone as a combining mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            out += unicodedata.normalize("NFC", parts[:-1]).encode("cp1258") + parts[-1].encode("cp1258")
    return out


def csv_bytes(rows, sep=",", encoding="utf-8", header=HEADER, newline="\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator=newline).writerows([header] + rows)
    return cp1258(buffer.getvalue()) if encoding == "cp1258" else buffer.getvalue().encode(encoding)


# A district uploader's file (703): row 2 the district itself, row 3 one of its communes, row 4 another district
# (705: outside the scope), row 5 a commune of 703 by name.
OUT_OF_SCOPE_FILE = (
    "ma_don_vi,ten_don_vi,loai_hoat_dong,ten_hoat_dong,ngay_to_chuc\r\n"
    + "\r\n".join(
        [
            "703,,anti_drug,Tuyên truyền phòng chống ma túy,19/05/2022",
            "25456,,anti_drug,Tuyên truyền tại Phường 1,20/05/2022",
            "705,,anti_drug,Tuyên truyền ở Tân Biên,21/05/2022",
            ",Phường Hiệp Ninh,anti_drug,Tuyên truyền tại Phường Hiệp Ninh,22/05/2022",
        ]
    )
    + "\r\n"
).encode("utf-8")

OFFICE_HEADER = [
    "STT",
    "Tên đơn vị",
    "Loại hoạt động",
    "Tên hoạt động",
    "Ngày tổ chức",
    "Số người tham gia",
    "Địa điểm tổ chức",
    "Kinh phí (đồng)",
    "Ghi chú",
]


def activity(n: int, unit: str | None = "Phường 1", day: dt.date = dt.date(2022, 5, 19)) -> list:
    """Row n of an office's report (OFFICE_HEADER's columns)."""
    return [
        n,
        unit,
        "anti_drug",
        f"Tuyên truyền phòng, chống ma túy đợt {n}",
        dt.datetime.combine(day, dt.time()),
        100 + n,
        "Nhà văn hóa khu phố",
        1_500_000,
        None,
    ]


def office_workbook(
    rows: list[list], *, instructions: bool = False, merges: list[str] = (), title: bool = True, under: list[list] = ()
) -> bytes:
    """A report as a district office draws it in Excel: the Union's title block over merged cells, the header
    on row 5 (or 1), the rows, then whatever `under` holds (totals, signatures)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    if instructions:
        guide = book.add_worksheet("Hướng dẫn")
        guide.write(0, 0, "HƯỚNG DẪN ĐIỀN BÁO CÁO")
        guide.write(2, 0, "1. Mỗi dòng là một hoạt động; ghi ngày theo ngày/tháng/năm.")
        guide.write(3, 0, "2. Cột Loại hoạt động ghi theo danh mục ở trang Loại hoạt động.")
    sheet = book.add_worksheet("Báo cáo")
    bold = book.add_format({"bold": True, "align": "center"})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    row = 0
    if title:
        sheet.merge_range("A1:D1", "BCH HUYỆN ĐOÀN GÒ DẦU", bold)
        sheet.merge_range("F1:I1", "ĐOÀN TNCS HỒ CHÍ MINH", bold)
        sheet.merge_range("A3:I3", "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO “VÌ AN NINH TỔ QUỐC” NĂM 2022", bold)
        row = 4
    for col, header in enumerate(OFFICE_HEADER):
        sheet.write_string(row, col, header, bold)
    first = row + 1
    for r, values in enumerate(list(rows) + list(under)):
        for c, value in enumerate(values):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(first + r, c, value, date)
            elif value is not None:
                sheet.write(first + r, c, value)
    for cells in merges:  # a unit name written once over its activities' rows
        top = cells.split(":")[0]
        sheet.merge_range(cells, None)
        column, line = ord(top[0]) - 65, int(top[1:]) - 1
        value = (list(rows) + list(under))[line - first][column]
        sheet.write(line, column, value)
    book.close()
    return buffer.getvalue()


# -- a unit's yearly report (plan V.2): its Word file and its signed scan ------------------------------------------
DEFAULT = cycle.ReportSettings()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400 + b"This program cannot be run"


def docx_bytes(text: str = "Báo cáo kết quả") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word(name="bao-cao.docx"):
    return check_report_file("word", docx_bytes(), name, DEFAULT.max_bytes)


def scan(name="scan.pdf", data=PDF):
    return check_report_file("scan", data, name, DEFAULT.max_bytes)


# -- the command line ------------------------------------------------------------------------------------------
def run_cli(
    *args, check: bool = False, env: Mapping[str, str] | None = None, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """`python -m analytics ARGS` as a user runs it from the project, with this environment plus `env`.
    check=True: the command must exit 0 (its stderr is the failure message)."""
    result = subprocess.run(
        [sys.executable, "-m", "analytics", *map(str, args)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


# -- the dashboard in AppTest ----------------------------------------------------------------------------------
def app_test(page: str | None = None):
    """An AppTest of the dashboard, optionally switched to a page path like 'app_pages/lagging.py'."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # Users never see error details (.streamlit/config.toml); a failing test should.
    st.set_option("client.showErrorDetails", "full")
    from streamlit.util import calc_hash

    from ui.navigation import PAGES

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if page:
        at.switch_page(str(ROOT / page))
        # Before the first run AppTest knows no st.Page yet and would name the page by its file; a server names it
        # by its address (st.Page hashes url_path), so the first run goes through dashboard.py as a request would.
        at._page_hash = calc_hash(next(spec.url_path for spec in PAGES if ROOT / spec.path == ROOT / page))
    return at


def open_page(page, **query):
    """The page opened by a link carrying these query parameters, after its first run."""
    at = app_test(page)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def metrics(at) -> dict[str, str]:
    """KPI cards: label -> shown value."""
    return {m.label: m.value for m in at.metric}


def frame(at, column):
    """The first table shown that has this column."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def charts(at) -> list[dict]:
    """The plotly figures shown, as dicts (title under ["layout"]["title"]["text"])."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
