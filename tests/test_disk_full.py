"""A store that cannot be written (disk full, simulated by a file-size limit on the process): the CLI exits 4
with a Vietnamese sentence, nothing is half-written, the page shows a sentence and sign-in keeps working."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import textwrap

from analytics.context import open_context
from tests.fixtures import GOOD, HEADER, ROOT, csv_bytes


def limited(max_bytes: int):
    def apply() -> None:  # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG (like ENOSPC)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return apply


def many_rows(count: int) -> bytes:
    rows = [GOOD[:3] + [f"Tuyên truyền lần {i}"] + GOOD[4:8] + [f"HD-{i}", ""] for i in range(count)]
    return csv_bytes(rows, header=HEADER)


def stored(path) -> tuple[int, int]:
    ctx = open_context(path)
    try:
        return (
            ctx.db.scalar("SELECT count(*) FROM current_activities"),
            ctx.db.scalar("SELECT count(*) FROM submissions"),
        )
    finally:
        ctx.close()


def test_import_on_a_full_disk_exits_4_with_a_sentence_and_stores_nothing(empty_db, tmp_path):
    data = tmp_path / "bao-cao.csv"
    data.write_bytes(many_rows(3000))
    argv = [sys.executable, "-m", "analytics", "import", str(data), "--db", str(empty_db)]
    full = subprocess.run(
        argv + ["--json"], cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=limited(64 * 1024)
    )
    assert full.returncode == 4, full.stderr
    assert "Traceback" not in full.stderr and "Không ghi được vào cơ sở dữ liệu" in full.stderr
    assert json.loads(full.stdout)["exit_code"] == 4
    assert stored(empty_db) == (0, 0)
    again = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)  # space is back
    assert again.returncode == 0, again.stderr
    assert stored(empty_db) == (3000, 1)


def test_export_to_a_full_disk_exits_4_with_a_sentence(tmp_path, demo_db):
    store = tmp_path / "store.duckdb"
    shutil.copyfile(demo_db, store)
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "export", "--db", str(store), "--format", "csv", "-o", "/dev/full"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr and "Không ghi được" in result.stderr


PAGE_UNDER_LIMIT = textwrap.dedent("""
    import json, os, resource, sys
    sys.path.insert(0, {root!r})
    os.environ["ANTQ_DB"] = {db!r}
    from analytics.access import auth
    from analytics.context import open_context
    ctx = open_context({db!r})
    auth.add_account(ctx.db, "nop", "mat-khau-nop-1", "admin", None, ctx.units, None, auth.AuthSettings())
    ctx.close()
    import ui.errors
    ui.errors.raise_after_showing = lambda: False  # as on the real server
    from tests.fixtures import app_test
    at = app_test().run()
    at.text_input[0].input("nop"); at.text_input[1].input("mat-khau-nop-1"); at.button[0].click().run()
    at.switch_page("app_pages/upload.py").run()
    at.file_uploader[0].set_value(("bao-cao.csv", open({data!r}, "rb").read(), "text/csv")).run()
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # from now on no file can grow: the disk is full
    [save] = [b for b in at.button if b.label.startswith("Lưu")]
    save.click().run()
    page = {{"errors": [e.value for e in at.error], "exception": [str(e.value) for e in at.exception]}}
    at.button(key="auth-sign-out").click().run()
    at.text_input[0].input("nop"); at.text_input[1].input("sai-mat-khau"); at.button[0].click().run()
    wrong = [e.value for e in at.error]
    at.text_input[0].input("nop"); at.text_input[1].input("mat-khau-nop-1"); at.button[0].click().run()
    signed_in = [m.value for m in at.sidebar.markdown]
    print(json.dumps({{"page": page, "wrong": wrong, "signed_in": signed_in,
                       "exception": [str(e.value) for e in at.exception]}}))
""")


def test_the_page_save_shows_a_sentence_and_sign_in_keeps_working_on_a_full_disk(empty_db, tmp_path):
    data = tmp_path / "bao-cao.csv"
    data.write_bytes(many_rows(3000))
    script = PAGE_UNDER_LIMIT.format(root=str(ROOT), db=str(empty_db), data=str(data))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert any("Không lưu được" in e for e in seen["page"]["errors"]), seen
    assert not any("Traceback" in e or str(empty_db) in e for e in seen["page"]["errors"])
    assert any("không đúng" in e for e in seen["wrong"]), seen
    assert any("nop" in m for m in seen["signed_in"]), seen
    assert not seen["exception"]
    assert stored(empty_db) == (0, 0)
