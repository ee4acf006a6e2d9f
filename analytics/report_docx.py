"""The year-end "báo cáo kết quả" as a Word file, laid out as Youth Union documents are.

Layout (thể thức văn bản của Đoàn, not the state's): a two-column heading block (left: the issuing committee,
"***", the number line; right: "ĐOÀN TNCS HỒ CHÍ MINH" underlined over the italic place and date), "BÁO CÁO" and
the title centred in bold, Roman-numbered sections, the signature block and "Nơi nhận". Times New Roman, A4.

Three scopes: one unit; a district (the district-level union with its communes); the whole province (every
district-level unit rolled up). Every figure comes from analytics.attainment, so it equals `status --json`.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analytics import attainment
from analytics.context import Context
from analytics.db import Database
from analytics.exports import ExportError
from analytics.i18n import t
from analytics.registry import Unit
from analytics.text import format_date, format_number, format_percent

FONT = "Times New Roman"
BODY_PT, TABLE_PT, SMALL_PT = 14, 13, 12
ROMAN = ("I", "II", "III", "IV", "V", "VI")
LANGUAGE = "vi"  # an official document: always Vietnamese

# Kinds of district-level units (data/units.csv `kind`) and how their committee is called.
DISTRICT_KINDS = {"huyện": "rural", "thị xã": "town", "thành phố": "city"}


def _t(key: str, **values) -> str:
    return t(key, LANGUAGE, **values)


# -- who issues the report ------------------------------------------------------------------------------
def _short_name(unit: Unit) -> str:
    """'Huyện Gò Dầu' → 'Gò Dầu'; names that do not start with their kind stay as they are."""
    kind = unit.kind or ""
    if kind and unit.name.casefold().startswith(kind.casefold() + " "):
        return unit.name[len(kind):].strip()
    return unit.name


def _initials(text: str) -> str:
    return "".join(word if word.isdigit() else word[0].upper() for word in text.split())


@dataclass(frozen=True)
class Issuer:
    committee_line: str   # left of the heading block, e.g. "BCH HUYỆN GÒ DẦU"
    symbol: str           # after "-BC/" in the number line
    body: str             # who reports, in a sentence: "Ban Thường vụ Huyện đoàn Gò Dầu"
    sign_for: str         # "TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN"
    signer_title: str     # "BÍ THƯ"
    place: str            # before ", ngày ..."
    recipients: tuple[str, ...]


def issuer_for(unit: Unit, units: dict[str, Unit], plan_issuer: str, plan_place: str) -> Issuer:
    if unit.level == "province":
        return Issuer(plan_issuer or _t("report.issuer.province", place=plan_place.upper()),
                      _t("report.symbol.province"), _t("report.body.province"), _t("report.sign.province"),
                      _t("report.signer.province"), plan_place, _lines("report.recipients.province"))
    if unit.level == "district":
        role = DISTRICT_KINDS.get(unit.kind)
        if role is None:  # a union directly under the province (Đoàn trực thuộc)
            return Issuer(_t("report.issuer.affiliated", name=unit.name.upper()), _initials(unit.name),
                          _t("report.body.affiliated", name=unit.name),
                          _t("report.sign.affiliated", name=unit.name.upper()), _t("report.signer.unit"),
                          plan_place, _lines("report.recipients.district"))
        committee = _t(f"report.committee.{role}", name=_short_name(unit))
        return Issuer(_t("report.issuer.district", name=unit.name.upper()), _initials(committee),
                      _t("report.body.district", committee=committee), _t(f"report.sign.{role}"),
                      _t("report.signer.unit"), _short_name(unit), _lines("report.recipients.district"))
    parent = units.get(unit.parent_code or "")
    committee = _t("report.committee.commune", kind=unit.kind or "", name=_short_name(unit))
    parent_body = issuer_for(parent, units, plan_issuer, plan_place).body if parent else _t("report.body.province")
    place = _short_name(parent) if parent and parent.level == "district" and parent.kind in DISTRICT_KINDS \
        else plan_place
    return Issuer(_t("report.issuer.commune", name=unit.name.upper()), _initials(committee),
                  _t("report.body.commune", committee=committee), _t("report.sign.commune"),
                  _t("report.signer.unit"), place, _lines("report.recipients.commune", parent=parent_body))


def _lines(key: str, **values) -> tuple[str, ...]:
    return tuple(_t(key, **values).split("\n"))


# -- the figures --------------------------------------------------------------------------------------
@dataclass
class ReportData:
    scope: str                       # "unit" | "district" | "province"
    unit: Unit                       # the issuing unit
    issuer: Issuer
    as_of: dt.date
    start: dt.date
    until: dt.date                   # last day counted (as-of capped at the deadline)
    movement: str                    # the plan's name, lower-case first letter
    own_targets: pd.DataFrame        # the issuing unit's rows of unit_targets
    own_status: pd.Series | None     # the issuing unit's row of unit_status
    descriptions: dict[str, str]     # target id → description
    members: pd.DataFrame            # unit_status rows of the units the report covers (itself included)
    by_type: pd.DataFrame            # export_activities_by_type over those units
    target_summary: pd.DataFrame     # province: per target, units applicable / met
    rollup: pd.DataFrame             # province: district_rollup
    province: dict                   # province_summary (province scope) or {}
    total_activities: int


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def report_data(ctx: Context, as_of: dt.date, unit_code: str | None = None,
                district_code: str | None = None) -> ReportData:
    """Figures of one report. unit_code: that unit alone; district_code: the district with its communes;
    neither: the province."""
    plan, units_by_code = ctx.plan, {u.code: u for u in ctx.units}
    if unit_code and district_code:
        raise ExportError(_t("report.error.both"))
    code = unit_code or district_code
    if code and code not in units_by_code:
        raise ExportError(_t("report.error.unknown_unit", code=code))
    if district_code and units_by_code[district_code].level != "district":
        raise ExportError(_t("report.error.not_district", code=district_code,
                             name=units_by_code[district_code].name))
    scope = "unit" if unit_code else "district" if district_code else "province"
    unit = units_by_code[code] if code else next(u for u in ctx.units if u.level == "province")

    targets = attainment.unit_targets(ctx.db, plan, as_of, ctx.settings.lagging)
    status = attainment.unit_status(targets, plan, ctx.settings.lagging, as_of)
    if scope == "unit":
        members = status[status["code"] == unit.code]
    elif scope == "district":
        members = status[status["district_code"] == unit.code]
    else:
        members = status
    if scope != "province" and unit.code not in set(status["code"]):
        raise ExportError(_t("report.error.inactive", code=unit.code, name=unit.name))
    own_targets = targets[targets["unit_code"] == unit.code].reset_index(drop=True)
    own = status[status["code"] == unit.code]
    until = min(as_of, plan.deadline)
    by_type = _by_type(ctx.db, list(members["code"]), plan.start, until)
    province, target_summary, rollup = {}, pd.DataFrame(), pd.DataFrame()
    if scope == "province":
        province = attainment.province_summary(targets, status)
        rollup = attainment.district_rollup(targets, status)
        target_summary = (targets.groupby("target_id", sort=False)
                          .agg(level=("level", "first"), minimum=("minimum", "first"), units=("met", "size"),
                               units_met=("met", "sum"), activities=("count", "sum"))
                          .reindex([tg.id for tg in plan.targets if tg.level != "province"])
                          .dropna(subset=["units"]).reset_index())
    total = ctx.db.scalar("SELECT count(*) FROM current_activities WHERE activity_date BETWEEN ? AND ?",
                          [plan.start, until])
    return ReportData(
        scope=scope, unit=unit, issuer=issuer_for(unit, units_by_code, plan.issuer, plan.place), as_of=as_of,
        start=plan.start, until=until, movement=_lower_first(plan.name), own_targets=own_targets,
        own_status=own.iloc[0] if len(own) else None,
        descriptions={tg.id: tg.description for tg in plan.targets}, members=members.reset_index(drop=True),
        by_type=by_type, target_summary=target_summary, rollup=rollup, province=province,
        total_activities=int(total or 0),
    )


def _by_type(db: Database, codes: list[str], start: dt.date, until: dt.date) -> pd.DataFrame:
    return db.named("export_activities_by_type", {"units": codes, "start": start, "until": until})


# -- the document -------------------------------------------------------------------------------------
def build_report(ctx: Context, as_of: dt.date, unit_code: str | None = None,
                 district_code: str | None = None, signer_title: str | None = None) -> Document:
    data = report_data(ctx, as_of, unit_code, district_code)
    return render(data, signer_title)


def report_bytes(ctx: Context, as_of: dt.date, unit_code: str | None = None,
                 district_code: str | None = None) -> bytes:
    buffer = io.BytesIO()
    build_report(ctx, as_of, unit_code, district_code).save(buffer)
    return buffer.getvalue()


def report_file_name(ctx: Context, as_of: dt.date, unit_code: str | None = None,
                     district_code: str | None = None) -> str:
    code = unit_code or district_code
    scope = "don-vi" if unit_code else "huyen" if district_code else "toan-tinh"
    return f"bao-cao-antq-{scope}{'-' + re.sub(r'[^A-Za-z0-9-]', '', code) if code else ''}-{as_of.isoformat()}.docx"


def render(data: ReportData, signer_title: str | None = None) -> Document:
    doc = Document()
    _page_setup(doc)
    _heading_block(doc, data)
    _title(doc, data)
    _paragraph(doc, _intro(data), indent=True)
    sections = [_section_targets, _section_activities, _section_lagging, _section_next]
    for number, section in zip(ROMAN, sections):
        section(doc, number, data)
    _paragraph(doc, _t("report.closing", movement=data.movement, body=data.issuer.body), indent=True)
    _signature(doc, data.issuer, signer_title)
    return doc


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    # Page number at the top centre from page 2, as these offices number their pages.
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(header.add_run(), "PAGE")


def _field(run, code: str) -> None:
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = code
    end.set(qn("w:fldCharType"), "end")
    run._r.extend([begin, instr, end])


TEXT_WIDTH_CM = 16.5


def _cell_text(cell, text: str, bold=False, italic=False, underline=False, size=BODY_PT,
               align=WD_ALIGN_PARAGRAPH.CENTER, first=True):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return paragraph


def _heading_block(doc: Document, data: ReportData) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    _widths(table, [7.0, 9.5])
    issuer = data.issuer
    _cell_text(left, issuer.committee_line, bold=True, size=BODY_PT)
    _cell_text(left, _t("report.stars"), size=BODY_PT, first=False)
    _cell_text(left, _t("report.number", symbol=issuer.symbol), size=BODY_PT, first=False)
    _cell_text(right, _t("report.union"), bold=True, underline=True, size=15)
    spacer = _cell_text(right, "", size=8, first=False)
    spacer.paragraph_format.space_after = Pt(4)
    _cell_text(right, place_date(issuer.place, data.as_of), italic=True, size=BODY_PT, first=False)


def place_date(place: str, date: dt.date) -> str:
    """'Tây Ninh, ngày 05 tháng 01 năm 2022': days below 10 and months 1 and 2 take a leading zero."""
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return _t("report.place_date", place=place, day=f"{date.day:02d}", month=month, year=date.year)


def _title(doc: Document, data: ReportData) -> None:
    gap = doc.add_paragraph()
    gap.paragraph_format.space_after = Pt(6)
    kind = doc.add_paragraph()
    kind.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kind.paragraph_format.space_after = Pt(0)
    run = kind.add_run(_t("report.doc_type"))
    run.bold, run.font.size = True, Pt(16)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(0)
    run = title.add_run(_t("report.title", movement=data.movement))
    run.bold, run.font.size = True, Pt(BODY_PT)
    scope = doc.add_paragraph()
    scope.alignment = WD_ALIGN_PARAGRAPH.CENTER
    scope.paragraph_format.space_after = Pt(0)
    run = scope.add_run(_t("report.subtitle", start=format_date(data.start), until=format_date(data.until)))
    run.italic, run.font.size = True, Pt(BODY_PT)
    line = doc.add_paragraph(_t("report.title_rule"))
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.space_after = Pt(12)


def _intro(data: ReportData) -> str:
    key = "report.intro.province" if data.scope == "province" else "report.intro.unit"
    return _t(key, movement=data.movement, body=data.issuer.body, start=format_date(data.start),
              until=format_date(data.until))


def _paragraph(doc: Document, text: str, indent=False, bold=False, italic=False, size=BODY_PT):
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _heading(doc: Document, text: str, level: int = 1) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold = True
    run.italic = level > 1
    run.font.size = Pt(BODY_PT)


def _widths(table, widths_cm: list[float]) -> None:
    """Word reads the cell widths, LibreOffice the table grid: set both."""
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _table(doc: Document, headers: list[str], rows: list[list[str]], widths_cm: list[float],
           aligns: list[str], bold_rows: set[int] = frozenset()) -> None:
    if doc.paragraphs:  # the sentence that introduces a table stays on the table's page
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    align_of = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}
    for cell, text in zip(table.rows[0].cells, headers):
        _cell_text(cell, text, bold=True, size=TABLE_PT)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, text, align in zip(cells, values, aligns):
            _cell_text(cell, text, size=TABLE_PT, align=align_of[align], bold=index in bold_rows)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in table.rows:
        row._tr.get_or_add_trPr().append(_on("w:cantSplit"))
    for row in table.rows[:2]:  # the header and first row start on the same page
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    _widths(table, widths_cm)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _on(tag: str):
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    return element


def _repeat_header(row) -> None:
    row._tr.get_or_add_trPr().append(_on("w:tblHeader"))


def _met_word(met: bool) -> str:
    return _t("report.met") if met else _t("report.not_met")


def targets_table_rows(targets: pd.DataFrame, descriptions: dict[str, str]) -> list[list[str]]:
    return [[str(i), f"{r.target_id}. {descriptions.get(r.target_id, '')}", format_number(int(r.minimum)),
             format_number(int(r.count)), _met_word(bool(r.met))]
            for i, r in enumerate(targets.itertuples(), start=1)]


def _targets_table(doc: Document, targets: pd.DataFrame, descriptions: dict[str, str]) -> None:
    _table(doc, [_t("report.col.no"), _t("report.col.target"), _t("report.col.minimum"), _t("report.col.achieved"),
                 _t("report.col.assessment")],
           targets_table_rows(targets, descriptions), [1.4, 8.9, 2.0, 2.0, 2.2], ["c", "l", "c", "c", "c"])


def _section_targets(doc: Document, number: str, data: ReportData) -> None:
    _heading(doc, _t("report.section.targets", number=number))
    own = data.own_status
    if data.scope == "province":
        summary = data.province
        _paragraph(doc, _t("report.province_summary", units=summary["units"], met=summary["pairs_met"],
                           pairs=summary["pairs"], share=format_percent(summary["share_met"]),
                           attainment=format_percent(summary["attainment"]), lagging=summary["lagging_units"],
                           activities=format_number(data.total_activities)), indent=True)
        _heading(doc, _t("report.sub.province_targets"), 2)
    if own is not None:
        _paragraph(doc, _t("report.unit_summary", body=data.issuer.body, met=int(own["targets_met"]),
                           total=int(own["targets_total"]), attainment=format_percent(float(own["attainment"]))),
                   indent=True)
        _targets_table(doc, data.own_targets, data.descriptions)
    if data.scope == "district":
        communes = data.members[data.members["code"] != data.unit.code]
        if len(communes):
            _heading(doc, _t("report.sub.communes"), 2)
            _table(doc, [_t("report.col.no"), _t("report.col.unit"), _t("report.col.targets_met"),
                         _t("report.col.attainment"), _t("report.col.status")],
                   [[str(i), r.name, f"{r.targets_met}/{r.targets_total}", format_percent(r.attainment),
                     _status_word(r)] for i, r in enumerate(communes.itertuples(), start=1)],
                   [1.4, 6.1, 3.0, 2.6, 3.4], ["c", "l", "c", "c", "c"])
    if data.scope == "province":
        _heading(doc, _t("report.sub.per_target"), 2)
        _table(doc, [_t("report.col.no"), _t("report.col.target"), _t("report.col.level"),
                     _t("report.col.units_met"), _t("report.col.share_met")],
               per_target_rows(data.target_summary, data.descriptions), [1.4, 8.1, 2.6, 2.4, 2.0],
               ["c", "l", "c", "c", "c"])
        _heading(doc, _t("report.sub.rollup"), 2)
        _table(doc, [_t("report.col.no"), _t("report.col.district"), _t("report.col.units"),
                     _t("report.col.pairs_met"), _t("report.col.share_met"), _t("report.col.attainment"),
                     _t("report.col.lagging_units")],
               rollup_rows(data.rollup), [1.4, 5.1, 1.9, 2.4, 1.9, 1.9, 1.9], ["c", "l", "c", "c", "c", "c", "c"])


def per_target_rows(summary: pd.DataFrame, descriptions: dict[str, str]) -> list[list[str]]:
    return [[str(i), f"{r.target_id}. {descriptions.get(r.target_id, '')}", _t(f"report.level.{r.level}"),
             f"{int(r.units_met)}/{int(r.units)}", format_percent(r.units_met / r.units)]
            for i, r in enumerate(summary.itertuples(), start=1)]


def rollup_rows(rollup: pd.DataFrame) -> list[list[str]]:
    return [[str(i), str(r.name), format_number(int(r.units)), f"{int(r.pairs_met)}/{int(r.pairs)}",
             format_percent(r.share_met), format_percent(r.attainment), format_number(int(r.lagging_units))]
            for i, r in enumerate(rollup.itertuples(), start=1)]


def _status_word(row) -> str:
    if row.lagging:
        return _t("report.status.lagging", severity=_t(f"severity.{row.severity}"))
    if row.targets_met == row.targets_total:
        return _t("status.met")
    return _t("status.on_track")


def _section_activities(doc: Document, number: str, data: ReportData) -> None:
    _heading(doc, _t("report.section.activities", number=number))
    by_type = data.by_type
    done = by_type[by_type["activities"] > 0]
    if not len(done):
        _paragraph(doc, _t("report.no_activities"), indent=True)
        return
    _paragraph(doc, _t("report.activities_summary", activities=format_number(int(done["activities"].sum())),
                       participants=format_number(int(done["participants"].sum())),
                       types=len(done)), indent=True)
    rows, bold, number_in_group = [], set(), 0
    for group_label, group in done.groupby("group_label", sort=False):
        bold.add(len(rows))
        number_in_group += 1
        rows.append([str(number_in_group), group_label, format_number(int(group["activities"].sum())),
                     format_number(int(group["participants"].sum()))])
        for i, r in enumerate(group.itertuples(), start=1):
            rows.append([f"{number_in_group}.{i}", r.type_label, format_number(int(r.activities)), format_number(int(r.participants))])
    bold.add(len(rows))
    rows.append(["", _t("report.total"), format_number(int(done["activities"].sum())),
                 format_number(int(done["participants"].sum()))])
    _table(doc, [_t("report.col.no"), _t("report.col.type"), _t("report.col.activities"),
                 _t("report.col.participants")], rows, [1.4, 10.1, 2.4, 2.6], ["c", "l", "c", "c"], bold)


def _section_lagging(doc: Document, number: str, data: ReportData) -> None:
    _heading(doc, _t("report.section.lagging", number=number))
    if data.scope == "unit":
        missing = data.own_targets[~data.own_targets["met"]]
        if not len(missing):
            _paragraph(doc, _t("report.all_met"), indent=True)
        for r in missing.itertuples():
            _paragraph(doc, _t("report.missing_target", id=r.target_id, description=data.descriptions.get(r.target_id, ""),
                               count=int(r.count), minimum=int(r.minimum)), indent=True)
        reasons = list(data.own_status["reasons"]) if data.own_status is not None else []
        if reasons:
            _paragraph(doc, _t("report.reasons_intro"), indent=True)
            for reason in reasons:
                _paragraph(doc, f"- {reason}.", indent=True)
        return
    lagging = data.members[data.members["lagging"]]
    if not len(lagging):
        _paragraph(doc, _t("report.no_lagging"), indent=True)
        return
    _paragraph(doc, _t("report.lagging_summary", lagging=len(lagging), units=len(data.members)), indent=True)
    rank = {"high": 0, "medium": 1, "low": 2}
    ordered = lagging.assign(_rank=lagging["severity"].map(rank)).sort_values(["_rank", "name"])
    _table(doc, [_t("report.col.no"), _t("report.col.unit"), _t("report.col.severity"), _t("report.col.reasons")],
           [[str(i), r.name, _t(f"severity.{r.severity}"), "; ".join(r.reasons)]
            for i, r in enumerate(ordered.itertuples(), start=1)],
           [1.4, 4.4, 2.2, 8.5], ["c", "l", "c", "l"])


def _section_next(doc: Document, number: str, data: ReportData) -> None:
    _heading(doc, _t("report.section.next", number=number))
    _paragraph(doc, _t("report.next_placeholder"), indent=True, italic=True)


def _signature(doc: Document, issuer: Issuer, signer_title: str | None) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    _widths(table, [8.0, 8.5])
    _cell_text(left, _t("report.recipients"), bold=True, italic=True, size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in issuer.recipients:
        _cell_text(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, first=False)
    _cell_text(right, issuer.sign_for, bold=True, size=BODY_PT)
    _cell_text(right, signer_title or issuer.signer_title, bold=True, size=BODY_PT, first=False)
    for _ in range(4):
        _cell_text(right, "", size=BODY_PT, first=False)
    _cell_text(right, _t("report.signer.name"), bold=True, size=BODY_PT, first=False)


def write_report(ctx: Context, as_of: dt.date, path: Path, unit_code: str | None = None,
                 district_code: str | None = None) -> ReportData:
    data = report_data(ctx, as_of, unit_code, district_code)
    render(data).save(str(path))
    return data
