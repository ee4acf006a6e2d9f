"""Display-ready tables for the upload and history pages (headers in the user's language, dates dd/mm/yyyy)."""

from __future__ import annotations

import pandas as pd

from analytics.core.i18n import t
from analytics.core.text import format_date, format_number
from analytics.intake.check import FIELDS, CheckResult
from analytics.reference.plan import Plan
from analytics.reference.registry import Unit


def errors_table(result: CheckResult, language: str | None = None, limit: int = 1000) -> pd.DataFrame:
    frame = result.errors.head(limit)
    return pd.DataFrame(
        {
            t("upload.col.line", language): frame["line"].astype(int),
            t("upload.col.column", language): frame["column"],
            t("upload.col.value", language): frame["value"].fillna(""),
            t("upload.col.message", language): frame["message"],
        }
    )


def duplicates_table(result: CheckResult, language: str | None = None, limit: int = 1000) -> pd.DataFrame:
    frame = result.duplicate_rows.head(limit)
    return pd.DataFrame(
        {t("upload.col.line", language): frame["line"].astype(int), t("upload.col.note", language): frame["message"]}
    )


def skipped_table(result: CheckResult, language: str | None = None) -> pd.DataFrame:
    """Rows left out of a file that are not activities (pre-numbered, totals, signatures), with why."""
    frame = result.skipped_rows
    return pd.DataFrame(
        {
            t("upload.col.line", language): frame["line"].astype(int),
            t("intake.col.reason", language): frame["reason"].map(
                lambda reason: t(f"intake.skipped.{reason}", language)
            ),
        }
    )


def preview_table(
    result: CheckResult, plan: Plan, units: tuple[Unit, ...], language: str | None = None, limit: int = 50
) -> pd.DataFrame:
    """The first valid rows as they will be stored, under the template's headers."""
    frame = result.preview(limit)
    names = {u.code: u.name for u in units}
    labels = {a.code: a.label for a in plan.activity_types}
    header = {name: t(f"ingest.header.{name}", language) for name in FIELDS}

    def number(value) -> str:
        return "" if pd.isna(value) else format_number(int(value))

    return pd.DataFrame(
        {
            t("upload.col.line", language): frame["line"].astype(int),
            header["ma_don_vi"]: frame["unit_code"],
            header["ten_don_vi"]: frame["unit_code"].map(names),
            header["loai_hoat_dong"]: frame["type_code"].map(labels),
            header["ten_hoat_dong"]: frame["title"],
            header["ngay_to_chuc"]: frame["activity_date"].map(format_date),
            header["so_nguoi_tham_gia"]: frame["participants"].map(number),
            header["dia_diem"]: frame["location"].fillna(""),
            header["kinh_phi"]: frame["budget_vnd"].map(number),
            header["ma_hoat_dong"]: frame["activity_ref"].fillna(""),
            header["ghi_chu"]: frame["notes"].fillna(""),
        }
    )


def submissions_table(frame: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    columns = [
        "id",
        "created_at",
        "file_name",
        "unit_names",
        "user_name",
        "encoding",
        "rows",
        "accepted",
        "rejected",
        "duplicates",
        "inserted",
        "updated",
        "status",
        "rolled_back_by",
    ]
    shown = frame[columns].copy()
    shown["created_at"] = shown["created_at"].map(lambda v: v.strftime("%d/%m/%Y %H:%M") if pd.notna(v) else "")
    shown["status"] = shown["status"].map(lambda s: t(f"ingest.status.{s}", language))
    shown["user_name"] = shown["user_name"].fillna(t("submissions.user_unknown", language))
    shown["rolled_back_by"] = shown["rolled_back_by"].fillna("")
    return shown.rename(columns={c: t(f"submissions.col.{c}", language) for c in columns})
