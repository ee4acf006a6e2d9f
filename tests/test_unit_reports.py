"""The reporting cycle (plan V.2): file checks on real bytes, storage by hash, states over time, scopes, review,
the `reports` command line and the in-place upgrade of an older store."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile

import duckdb
import pytest
from PIL import Image

from analytics.access import audit, auth
from analytics.context import open_context
from analytics.unit_reports import cycle
from analytics.unit_reports.files import ReportFileError, check_file, files_dir, read_bytes
from tests.fixtures import DEFAULT, EXECUTABLE, PDF, ROOT, docx_bytes, scan, store_file, word

MB = 1024 * 1024
BEFORE = dt.datetime(2022, 12, 10, 9, 30)
DEADLINE_DAY = dt.datetime(2022, 12, 15, 23, 59)
AFTER = dt.datetime(2022, 12, 20, 8, 0)


def png_bytes(size=(60, 80), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode == "RGB" else 1).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "gray").save(buffer, "JPEG")
    return buffer.getvalue()


# -- file checks -------------------------------------------------------------------------------------------
def test_a_renamed_executable_is_refused_as_either_kind():
    with pytest.raises(ReportFileError, match="không phải PDF hay ảnh JPG/PNG"):
        check_file("scan", EXECUTABLE, "bao-cao-scan.pdf", DEFAULT.max_bytes)
    with pytest.raises(ReportFileError, match=r"không phải file Word \(\.docx\)"):
        check_file("word", EXECUTABLE, "bao-cao.docx", DEFAULT.max_bytes)


def test_a_zip_that_is_not_a_docx_and_other_wrong_content_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")  # an Excel-like zip
    with pytest.raises(ReportFileError, match="không phải file Word"):
        check_file("word", buffer.getvalue(), "bao-cao.docx", DEFAULT.max_bytes)
    with pytest.raises(ReportFileError, match="không phải file Word"):
        check_file("word", PDF, "bao-cao.docx", DEFAULT.max_bytes)  # a PDF is not a Word file
    with pytest.raises(ReportFileError, match="không phải PDF"):
        check_file("scan", docx_bytes(), "scan.pdf", DEFAULT.max_bytes)  # nor a DOCX a scan
    with pytest.raises(ReportFileError, match="không phải ảnh đọc được"):
        check_file("scan", png_bytes()[:60] + b"\x00" * 40, "trang-1.png", DEFAULT.max_bytes)  # a cut-off PNG
    macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("word/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(ReportFileError, match="có macro"):
        check_file("word", macro.getvalue(), "bao-cao.docm", DEFAULT.max_bytes)
    with pytest.raises(ReportFileError, match="trống"):
        check_file("scan", b"", "scan.pdf", DEFAULT.max_bytes)


def test_an_oversized_file_is_refused_with_the_setting_in_the_sentence():
    big = PDF + b"0" * (20 * MB)
    with pytest.raises(ReportFileError, match="lớn hơn 20 MB cho phép"):
        check_file("scan", big, "scan.pdf", DEFAULT.max_bytes)
    assert check_file("scan", big, "scan.pdf", cycle.ReportSettings(max_file_mb=25).max_bytes).media_type == "pdf"


def test_a_decompression_bomb_image_is_refused_before_decoding():
    bomb = png_bytes((12_000, 12_000), "1")  # 144 megapixels in a few kilobytes
    assert len(bomb) < 1 * MB
    with pytest.raises(ReportFileError, match="quá nhiều điểm ảnh"):
        check_file("scan", bomb, "trang-1.png", DEFAULT.max_bytes)


def test_good_files_are_recognised_by_content_not_name():
    assert check_file("word", docx_bytes(), "khong-co-duoi", DEFAULT.max_bytes).media_type == "docx"
    assert check_file("scan", PDF, "scan.docx", DEFAULT.max_bytes).media_type == "pdf"
    assert check_file("scan", png_bytes(), "trang.jpg", DEFAULT.max_bytes).media_type == "png"
    assert check_file("scan", jpeg_bytes(), "trang.png", DEFAULT.max_bytes).media_type == "jpeg"


def test_a_name_with_path_parts_never_becomes_a_path(ctx, tmp_path):
    checked = check_file("word", docx_bytes(), "../../../etc/cron.d/..\\x/bao-cao\x00.docx", DEFAULT.max_bytes)
    assert checked.name == "bao-cao.docx"
    before = set(tmp_path.rglob("*"))
    cycle.hand_in(ctx, DEFAULT, "710", [checked], "tester", now=BEFORE)
    created = set(tmp_path.rglob("*")) - before
    folder = files_dir(ctx.db.path)
    assert {p for p in created if p.is_file() and p.parent == folder} == {folder / checked.sha256}
    assert all(p == folder or p.parent == folder for p in created)
    assert read_bytes(folder, checked.sha256) == checked.data
    (folder / checked.sha256).write_bytes(b"changed")
    with pytest.raises(ReportFileError, match="Không tìm thấy tệp đã lưu"):
        read_bytes(folder, checked.sha256)
    with pytest.raises(ReportFileError):
        read_bytes(folder, "../../etc/passwd")


# -- states over time --------------------------------------------------------------------------------------
def states(ctx, at, settings=DEFAULT) -> dict[str, str]:
    return {r.unit.code: r.state for r in cycle.unit_reports(ctx, settings, at)}


def test_expected_units_are_the_17_district_level_unions_and_grassroots_by_setting(ctx):
    expected = cycle.expected_units(ctx, DEFAULT)
    assert len(expected) == 17 and {u.level for u in expected} == {"district"}
    assert "TT-CA" in {u.code for u in expected}
    with_grassroots = cycle.expected_units(ctx, cycle.ReportSettings(include_grassroots=True))
    assert len(with_grassroots) == 17 + sum(u.level == "commune" for u in ctx.units)
    names = {u.code: u.name for u in with_grassroots}
    assert names["710"] == "Huyện đoàn Gò Dầu" and names["703"] == "Thành đoàn Tây Ninh"
    assert names["709"] == "Thị đoàn Hòa Thành" and names["TT-CA"] == "Đoàn Thanh niên Công an tỉnh"
    assert names["25456"] == "Đoàn phường 1"


def test_states_before_and_after_the_deadline(ctx):
    cycle.hand_in(ctx, DEFAULT, "710", [word()], "nop710", received_at=BEFORE, now=AFTER)  # Word only
    cycle.hand_in(ctx, DEFAULT, "705", [word(), scan()], "nop705", received_at=DEADLINE_DAY, now=AFTER)
    cycle.hand_in(ctx, DEFAULT, "706", [scan()], "nop706", received_at=BEFORE, now=AFTER)  # scan only
    cycle.hand_in(
        ctx, DEFAULT, "710", [scan("trang-1.png", png_bytes()), scan("trang-2.jpg", jpeg_bytes())], "nop710", now=AFTER
    )  # scan, late

    before = cycle.unit_reports(ctx, DEFAULT, dt.datetime(2022, 12, 14, 12, 0))
    by_code = {r.unit.code: r for r in before}
    assert (by_code["710"].state, by_code["705"].state, by_code["706"].state) == (
        "missing_scan",
        "missing",
        "missing_word",
    )
    assert not any(r.overdue for r in before)  # nobody is overdue before the deadline
    assert cycle.summary(before)["handed_in"] == 0

    after = cycle.unit_reports(ctx, DEFAULT, AFTER + dt.timedelta(hours=1))
    by_code = {r.unit.code: r for r in after}
    assert by_code["705"].state == "handed_in" and by_code["705"].on_time  # the deadline's day counts
    assert by_code["710"].state == "late" and by_code["710"].version == 2
    assert [f["name"] for f in by_code["710"].files] == ["trang-1.png", "trang-2.jpg", "bao-cao.docx"]
    assert by_code["706"].state == "missing_word" and by_code["706"].overdue
    assert by_code["703"].state == "missing" and by_code["703"].overdue
    figures = cycle.summary(after)
    assert (figures["expected"], figures["handed_in"], figures["on_time"], figures["late"]) == (17, 2, 1, 1)
    assert figures["overdue"] == 15

    districts = cycle.completeness_by_district(after, ctx.units)
    assert list(districts["code"][-2:]) == ["710", "705"]  # worst first: the on-time one last
    reminder = cycle.reminder_text(ctx, DEFAULT, after, AFTER)
    assert reminder.startswith("Đã quá hạn ngày 15/12/2022")
    assert "- Huyện đoàn Tân Châu: Thiếu file Word" in reminder and "Huyện đoàn Gò Dầu" not in reminder


def test_return_then_hand_in_again_then_accept(ctx):
    cycle.hand_in(ctx, DEFAULT, "710", [word(), scan()], "nop710", received_at=BEFORE, now=BEFORE)
    assert cycle.review(
        ctx, DEFAULT, "710", False, "Bản scan thiếu chữ ký", "quantri", now=BEFORE + dt.timedelta(hours=1)
    ).endswith("Lý do: Bản scan thiếu chữ ký")
    at = BEFORE + dt.timedelta(hours=2)
    returned = next(r for r in cycle.unit_reports(ctx, DEFAULT, at) if r.unit.code == "710")
    assert returned.state == "returned" and returned.review["reason"] == "Bản scan thiếu chữ ký"
    assert cycle.summary(cycle.unit_reports(ctx, DEFAULT, at))["handed_in"] == 0
    assert "- Huyện đoàn Gò Dầu: báo cáo bị trả lại (Bản scan thiếu chữ ký)" in cycle.reminder_text(
        ctx, DEFAULT, cycle.unit_reports(ctx, DEFAULT, at), at
    )

    cycle.hand_in(ctx, DEFAULT, "710", [scan("scan-ky.pdf", PDF + b"% signed\n")], "nop710", now=AFTER)
    again = next(r for r in cycle.unit_reports(ctx, DEFAULT, AFTER) if r.unit.code == "710")
    assert again.state == "handed_in" and again.on_time  # a return does not make the unit late
    assert {f["name"] for f in again.files} == {"scan-ky.pdf", "bao-cao.docx"}
    cycle.review(ctx, DEFAULT, "710", True, None, "quantri", now=AFTER)
    assert states(ctx, AFTER + dt.timedelta(minutes=1))["710"] == "accepted"
    assert [v["version"] for v in cycle.history(ctx, "710")] == [2, 1]

    actions = set(audit.entries(ctx.db)["action"])
    assert {"report_hand_in", "report_return", "report_accept"} <= actions
    with pytest.raises(cycle.ReportError, match="cần ghi lý do"):
        cycle.review(ctx, DEFAULT, "710", False, "  ", "quantri")
    with pytest.raises(cycle.ReportError, match="chưa nộp báo cáo nào"):
        cycle.review(ctx, DEFAULT, "705", True, None, "quantri")


def test_an_incomplete_report_cannot_be_accepted(ctx):
    cycle.hand_in(ctx, DEFAULT, "710", [word()], "nop710", now=BEFORE)
    with pytest.raises(cycle.ReportError, match="chưa đủ file Word và bản scan"):
        cycle.review(ctx, DEFAULT, "710", True, None, "quantri", now=BEFORE)


def test_a_deadline_setting_moves_on_time(ctx):
    cycle.hand_in(ctx, DEFAULT, "710", [word(), scan()], "nop710", now=AFTER)
    assert states(ctx, AFTER)["710"] == "late"
    assert states(ctx, AFTER, cycle.ReportSettings(deadline="2022-12-31"))["710"] == "handed_in"


# -- scopes ------------------------------------------------------------------------------------------------
def test_an_uploader_hands_in_only_within_its_scope(ctx):
    account = auth.Account("nop710", "uploader", "710", True, 0)
    scope = auth.scope_units(account, ctx.units)
    cycle.hand_in(ctx, DEFAULT, "710", [word()], "nop710", scope, now=BEFORE)
    with pytest.raises(cycle.ReportScopeError, match="không được nộp báo cáo cho Huyện đoàn Tân Biên"):
        cycle.hand_in(ctx, DEFAULT, "705", [word()], "nop710", scope, now=BEFORE)
    viewer = auth.scope_units(auth.Account("xem", "viewer", None, True, 0), ctx.units)
    with pytest.raises(cycle.ReportScopeError):
        cycle.hand_in(ctx, DEFAULT, "710", [word()], "xem", viewer, now=BEFORE)
    with pytest.raises(cycle.ReportError, match="không thuộc các đơn vị phải nộp"):
        cycle.hand_in(ctx, DEFAULT, "25456", [word()], None, now=BEFORE)  # grassroots: off by default
    cycle.hand_in(ctx, cycle.ReportSettings(include_grassroots=True), "25456", [word()], None, now=BEFORE)
    assert states(ctx, AFTER)["705"] == "missing"


# -- the command line --------------------------------------------------------------------------------------
def run(*args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "analytics", "reports", *map(str, args)],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_store(tmp_path):
    path = store_file(
        tmp_path / "cli.duckdb",
        accounts={"quantri": ("admin", None, "mat-khau-dai-1"), "nop710": ("uploader", "710", "mat-khau-dai-1")},
    )
    (tmp_path / "bao-cao.docx").write_bytes(docx_bytes())
    (tmp_path / "scan.pdf").write_bytes(PDF)
    (tmp_path / "virus.pdf").write_bytes(EXECUTABLE)
    return path


def test_cli_submit_list_review_get_with_exit_codes(cli_store, tmp_path):
    db = ("--db", cli_store)
    refused = run(
        "submit",
        "710",
        "--word",
        tmp_path / "bao-cao.docx",
        "--scan",
        tmp_path / "virus.pdf",
        "--user",
        "nop710",
        "--json",
        *db,
    )
    assert refused.returncode == 1 and "Tệp “virus.pdf” không phải PDF hay ảnh JPG/PNG." in refused.stderr
    assert json.loads(refused.stdout)["exit_code"] == 1
    assert run("submit", "705", "--word", tmp_path / "bao-cao.docx", "--user", "nop710", *db).returncode == 1
    assert run("submit", "710", "--word", tmp_path / "khong-co.docx", *db).returncode == 2
    assert run("submit", "999", "--word", tmp_path / "bao-cao.docx", *db).returncode == 2
    assert run("submit", "710", "--word", tmp_path / "bao-cao.docx", "--user", "ai-do", *db).returncode == 2
    late = run(
        "submit", "710", "--word", tmp_path / "bao-cao.docx", "--received", "2022-12-01", "--user", "nop710", *db
    )
    assert late.returncode == 1 and "Chỉ tài khoản quản trị" in late.stderr

    done = run(
        "submit",
        "710",
        "--word",
        tmp_path / "bao-cao.docx",
        "--scan",
        tmp_path / "scan.pdf",
        "--received",
        "2022-12-12T14:05",
        "--user",
        "quantri",
        "--json",
        *db,
    )
    assert done.returncode == 0, done.stderr
    submitted = json.loads(done.stdout)
    assert (submitted["unit"], submitted["version"], submitted["state"]) == ("710", 1, "handed_in")

    listed = json.loads(run("list", "--as-of", "2022-12-31", "--json", *db).stdout)
    assert {"deadline", "expected", "handed_in", "on_time", "units"} <= set(listed)
    assert (listed["deadline"], listed["expected"], listed["handed_in"], listed["on_time"]) == ("2022-12-15", 17, 1, 1)
    unit = next(u for u in listed["units"] if u["code"] == "710")
    assert {"code", "name", "state", "handed_in_at", "by", "files", "review"} <= set(unit)
    assert (unit["state"], unit["handed_in_at"], unit["by"]) == ("handed_in", "2022-12-12 14:05", "quantri")
    assert [set(f) >= {"kind", "name", "bytes", "sha256"} for f in unit["files"]] == [True, True]
    assert json.loads(run("list", "--as-of", "2022-12-11", "--json", *db).stdout)["handed_in"] == 0

    assert run("review", "710", "--accept", "--user", "nop710", *db).returncode == 1  # only an admin reviews
    returned = run("review", "710", "--return", "Thiếu dấu", "--user", "quantri", *db)
    assert returned.returncode == 0 and "Lý do: Thiếu dấu" in returned.stdout
    unit = next(u for u in json.loads(run("list", "--json", *db).stdout)["units"] if u["code"] == "710")
    assert unit["state"] == "returned" and unit["review"]["reason"] == "Thiếu dấu"
    assert unit["review"]["by"] == "quantri"

    out = tmp_path / "tai-ve.docx"
    got = run("get", "710", "--kind", "word", "-o", out, "--user", "nop710", *db)
    assert got.returncode == 0, got.stderr
    assert out.read_bytes() == (tmp_path / "bao-cao.docx").read_bytes()
    assert run("get", "705", "--kind", "word", "-o", out, *db).returncode == 2  # nothing handed in
    ctx = open_context(cli_store)
    try:
        actions = set(audit.entries(ctx.db)["action"])
    finally:
        ctx.close()
    assert {"report_hand_in", "report_return", "report_download"} <= actions


def test_cli_says_the_store_is_busy_with_exit_3(cli_store, tmp_path):
    holder = duckdb.connect(str(cli_store))  # another process would hold it the same way
    try:
        busy = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from analytics.cli.main import main; sys.exit(main("
                f"['reports', 'list', '--json', '--db', {str(cli_store)!r}]))",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "ANTQ_BUSY_TIMEOUT": "1"},
        )  # gives up after 1 s, not 30
    finally:
        holder.close()
    assert busy.returncode == 3, busy.stderr
    assert json.loads(busy.stdout)["exit_code"] == 3


# -- the store upgrades in place ------------------------------------------------------------------------------
def test_an_older_store_gains_the_report_tables_in_place(tmp_path):
    path = store_file(tmp_path / "old.duckdb", accounts={"quantri": ("admin", None, "mat-khau-dai-1")})
    with duckdb.connect(str(path)) as con:  # as a store made before migration 005
        con.execute(
            "DROP TABLE unit_report_reviews; DROP TABLE unit_report_files; DROP TABLE unit_reports; "
            "DROP SEQUENCE unit_report_ids; DELETE FROM schema_migrations WHERE version = 5"
        )
    ctx = open_context(path)
    try:
        assert ctx.db.schema_version() >= 5
        assert auth.account_count(ctx.db) == 1  # nothing lost
        cycle.hand_in(ctx, DEFAULT, "710", [word()], "quantri", now=BEFORE)
        assert states(ctx, AFTER)["710"] == "missing_scan"
    finally:
        ctx.close()
