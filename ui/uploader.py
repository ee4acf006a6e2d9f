"""st.file_uploader in the reader's language: Streamlit has no parameter for the uploader's own words (its button
and size hint are English; streamlit/streamlit#13500), so a style rule writes the catalogue's words over them."""

from __future__ import annotations

import streamlit as st

from ui.state import t

BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
HINT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
# A file the browser refused (over server.maxUploadSize in .streamlit/config.toml, or of another type): Streamlit
# marks its chip invalid and keeps its English reason in a tooltip; the catalogue's sentence is written under it.
REFUSED = '[data-testid="stFileChip"][aria-invalid="true"]'


def _css_text(text: str) -> str:
    """A CSS string literal (Vietnamese letters as they are; quotes, backslashes and "<" escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def uploader_style(types: list[str]) -> str:
    size = st.get_option("server.maxUploadSize")
    kinds = ", ".join(kind.upper() for kind in types)
    hint = t("upload.widget.hint", size=size, types=kinds)
    refused = t("intake.widget.refused", size=size, types=kinds)
    return (
        f"<style>{BUTTON}, {HINT} {{font-size: 0 !important}}"
        f"{BUTTON}::after {{content: {_css_text(t('upload.widget.button'))}; font-size: 0.875rem}}"
        f"{HINT}::after {{content: {_css_text(hint)}; font-size: 0.875rem}}"
        f"{REFUSED} {{flex-wrap: wrap; height: auto}}"
        f"{REFUSED}::after {{content: {_css_text(refused)}; flex-basis: 100%; font-size: 0.875rem; "
        f"color: var(--st-red-color, #bd4043); white-space: normal; padding: 0.25rem 0}}</style>"
    )


def file_uploader(label: str, types: list[str], **options):
    st.html(uploader_style(types))
    return st.file_uploader(label, type=types, **options)
