"""The downloadable submission template (CSV and XLSX, headers in the user's language, one example row) and
the lists of valid activity types and unit codes. Built from the plan and the registry, so they never drift."""

from __future__ import annotations

import csv
import datetime as dt
import io

import xlsxwriter

from analytics.core.i18n import t
from analytics.intake.check import FIELDS
from analytics.reference.plan import Plan
from analytics.reference.registry import Unit

EXAMPLE_UNIT = "25456"
EXAMPLE_TYPE = "civilised_town"  # counts for the commune target X1
EXAMPLE_DATE = dt.date(2022, 5, 19)


def headers(language: str | None = None) -> list[str]:
    return [t(f"ingest.header.{name}", language) for name in FIELDS]


def example_row(plan: Plan, units: tuple[Unit, ...], language: str | None = None) -> list:
    unit = next((u for u in units if u.code == EXAMPLE_UNIT), units[-1])
    activity = next((a for a in plan.activity_types if a.code == EXAMPLE_TYPE), plan.activity_types[0])
    day = min(max(EXAMPLE_DATE, plan.start), plan.deadline)
    return [
        unit.code,
        unit.name,
        activity.label,
        t("ingest.template.example_title", language),
        day,
        120,
        t("ingest.template.example_location", language),
        1_500_000,
        "HD-001",
        t("ingest.template.example_notes", language),
    ]


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel then shows Vietnamese


def template_csv(plan: Plan, units: tuple[Unit, ...], language: str | None = None) -> bytes:
    row = example_row(plan, units, language)
    row[4] = row[4].strftime("%d/%m/%Y")
    row[7] = f"{row[7]:,}".replace(",", ".")
    return _csv([headers(language), row])


def code_lists(plan: Plan, units: tuple[Unit, ...], language: str | None = None) -> tuple[list[list], list[list]]:
    """(activity types, units) as rows with a header row each."""
    groups = {g.code: g.label for g in plan.groups}
    names = {u.code: u.name for u in units}
    types = [
        [
            t("ingest.template.col_code", language),
            t("ingest.template.col_name", language),
            t("ingest.template.col_group", language),
        ]
    ]
    types += [[a.code, a.label, groups.get(a.group, a.group)] for a in plan.activity_types]
    unit_rows = [
        [
            t("ingest.template.col_code", language),
            t("ingest.template.col_name", language),
            t("ingest.template.col_group", language),
            t("ingest.template.col_parent", language),
        ]
    ]
    unit_rows += [
        [u.code, u.name, t(f"level.{u.level}", language), names.get(u.parent_code or "", "")]
        for u in units
        if u.active_between(plan.start, plan.deadline)
    ]
    return types, unit_rows


def codes_csv(plan: Plan, units: tuple[Unit, ...], language: str | None = None) -> bytes:
    """One CSV of both lists: list, code, name, group or level, parent."""
    types, unit_rows = code_lists(plan, units, language)
    rows = [[t("ingest.template.col_list", language)] + unit_rows[0]]
    rows += [[t("ingest.template.list_type", language)] + r + [""] for r in types[1:]]
    rows += [[t("ingest.template.list_unit", language)] + r for r in unit_rows[1:]]
    return _csv(rows)


def template_xlsx(plan: Plan, units: tuple[Unit, ...], language: str | None = None) -> bytes:
    """Sheet 1: the report (headers, one example row with a real date cell); then the two code lists."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    number = book.add_format({"num_format": "#,##0"})
    text = book.add_format({"num_format": "@"})
    report = book.add_worksheet(t("ingest.template.sheet_report", language)[:31])
    for col, header in enumerate(headers(language)):
        report.write_string(0, col, header, bold)
    row = example_row(plan, units, language)
    for col, value in enumerate(row):
        if isinstance(value, dt.date):
            report.write_datetime(1, col, dt.datetime.combine(value, dt.time()), date)
        elif isinstance(value, int):
            report.write_number(1, col, value, number)
        else:
            report.write_string(1, col, str(value), text if col == 0 else None)
    report.set_column(0, 0, 11, text)  # unit codes stay text
    report.set_column(1, 3, 34)
    report.set_column(4, 9, 16)
    report.freeze_panes(1, 0)
    types, unit_rows = code_lists(plan, units, language)
    for name, rows in (
        (t("ingest.template.sheet_types", language), types),
        (t("ingest.template.sheet_units", language), unit_rows),
    ):
        sheet = book.add_worksheet(name[:31])
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                sheet.write_string(r, c, str(value), bold if r == 0 else None)
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, 3, 48)
        sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
