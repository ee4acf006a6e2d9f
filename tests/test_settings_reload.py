"""Settings are read once per change: an edited file or another ANTQ_* variable is seen at the next call."""

from __future__ import annotations

import os

from analytics.core.settings import DATA_DIR, load_settings


def test_settings_follow_the_file_and_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    text = (DATA_DIR / "settings.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ANTQ_SETTINGS", str(path))
    monkeypatch.delenv("ANTQ_DB", raising=False)
    first = load_settings()
    assert load_settings() is first  # nothing changed: not read again
    path.write_text(text.replace("silent_days = 60", "silent_days = 7", 1), encoding="utf-8")
    os.utime(path, ns=(first_ns := path.stat().st_mtime_ns, first_ns + 1_000_000))
    assert first.lagging.silent_days == 60 and load_settings().lagging.silent_days == 7
    monkeypatch.setenv("ANTQ_DB", str(tmp_path / "other.duckdb"))
    assert load_settings().db_path == tmp_path / "other.duckdb"
