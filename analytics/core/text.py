"""Vietnamese text helpers: matching keys and number/date formatting."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def fold(value: object) -> str:
    """Key for matching: NFC, case-folded, diacritics stripped (đ → d), spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFD", str(value).casefold().replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip()


# The same fold in DuckDB SQL, installed as a macro by the store (kept equal by a test).
FOLD_SQL_MACRO = (
    "CREATE OR REPLACE MACRO fold(s) AS "
    "trim(regexp_replace(strip_accents(replace(lower(nfc_normalize(s)), 'đ', 'd')), '[\\s\\pZ]+', ' ', 'g'))"
)


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """1234567 → '1.234.567' (vi-VN)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(share: float | None, decimals: int = 0) -> str:
    if share is None:
        return "–"
    return format_number(share * 100, decimals) + "%"


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "–"
