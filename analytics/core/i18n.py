"""String catalogues: Vietnamese first, English beside it. `t("key", name=...)` formats a message."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("vi", "en")
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}  # each in its own language
_current = os.environ.get("ANTQ_LANG", "vi")


@cache
def catalogue(language: str) -> dict[str, str]:
    """All files of locales/LANGUAGE/*.json merged: one file per part of the product."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / language).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def set_language(language: str) -> None:
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _current = language


def current_language() -> str:
    return _current


def t(key: str, language: str | None = None, **values: object) -> str:
    text = catalogue(language or _current).get(key) or catalogue("vi").get(key) or key
    return text.format(**values) if values else text
