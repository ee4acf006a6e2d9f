"""The year-end results report (báo cáo kết quả) as a Word file, written as the Youth Union writes one.

Layout (thể thức văn bản của Đoàn, not the state's): a two-column heading block (left: the superior body's line
where there is one, the issuing committee, "***", "Số: …-BC/<registered symbol>"; right: "ĐOÀN TNCS HỒ CHÍ MINH"
underlined over "<place>, ngày … tháng … năm 2022" left for the signer), "BÁO CÁO" and the title centred in bold,
"(Số liệu tính đến dd/mm/yyyy)", Roman-numbered sections, "./.", the signature block by level and "Nơi nhận".
Times New Roman, A4, language vi-VN.

Content (domain: what a results report contains): an opening citing the plan by number and date; I. rollout (for
the signer to write); II. results target by target (Chỉ tiêu giao / Kết quả / Đánh giá: Đạt, Không đạt, before
the deadline Chưa đạt), for a district its total first, then activities, participants and spending; III.
strengths and shortcomings as facts in words; IV. next steps, proposals and commendation candidates. It judges
results only: no dashboard flag (pace, silence, projection, severity), no internal target code.

Three scopes: one unit; a district (the district-level union with its grassroots unions); the province. Figures
come from analytics.measures.attainment, as `status --json` does, so they are equal for the same as-of date.

For a page or another module: `build_report(ctx, scope, as_of) -> bytes` with scope None/"province", or a unit
code (a district-level union with grassroots unions gets its district's report).
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
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analytics.context import Context
from analytics.core.i18n import t
from analytics.core.text import format_date, format_number, format_percent
from analytics.measures import attainment
from analytics.measures.status import status_word
from analytics.outputs.exports import ExportError
from analytics.reference.plan import Plan
from analytics.reference.registry import Unit
from analytics.store.database import Database

FONT = "Times New Roman"
BODY_PT, TABLE_PT, SMALL_PT = 14, 13, 12
LANGUAGE = "vi"  # an official document: always Vietnamese
LANGUAGE_TAG = "vi-VN"
PROVINCE_SCOPES = (None, "", "province")
# The Union body's word that follows "TM. BAN THƯỜNG VỤ" when its name starts with it ("Huyện đoàn Gò Dầu").
BODY_WORDS = ("Tỉnh đoàn", "Thành đoàn", "Thị đoàn", "Huyện đoàn")


def _t(key: str, **values) -> str:
    return t(key, LANGUAGE, **values)


# -- who issues the report ------------------------------------------------------------------------------
def _short_admin_name(unit: Unit) -> str:
    """'Huyện Gò Dầu' → 'Gò Dầu'; names that do not start with their kind stay as they are."""
    name, kind = unit.admin_name or unit.name, unit.kind or ""
    if kind and name.casefold().startswith(kind.casefold() + " "):
        return name[len(kind) :].strip()
    return name


@dataclass(frozen=True)
class Issuer:
    superior_line: str  # above the committee, e.g. "HUYỆN ĐOÀN GÒ DẦU" for a commune's union; may be ""
    committee_line: str  # e.g. "BCH ĐOÀN XÃ CẨM GIANG"
    symbol: str  # after "-BC/" in the number line: the registry's value
    name: str  # the Union body: "Huyện đoàn Gò Dầu"
    body: str  # who reports, in a sentence: "Ban Thường vụ Huyện đoàn Gò Dầu"
    sign_for: str  # "TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN" / "TM. BAN CHẤP HÀNH"
    signer_title: str  # "BÍ THƯ"
    place: str  # before ", ngày ..."
    recipients: tuple[str, ...]


def issuer_for(unit: Unit, units: dict[str, Unit], plan: Plan) -> Issuer:
    """Everything the heading and signature need, from the registry's row of the issuing unit."""
    standing = unit.standing_committee
    body = _t("docx.body.standing" if standing else "docx.body.executive", name=unit.name)
    sign_for = _t("docx.sign.executive")
    if standing:
        word = next((w for w in BODY_WORDS if unit.name.startswith(w + " ")), "")
        sign_for = f"{_t('docx.sign.standing')} {word.upper()}".strip()
    parent = units.get(unit.parent_code or "")
    if unit.level == "province":
        place, recipients = plan.place, _lines("docx.recipients.province")
        signer = _t("docx.signer.province")
    elif unit.level == "district":
        affiliated = not unit.code.isdigit() or unit.kind not in ("huyện", "thị xã", "thành phố")
        place = plan.place if affiliated else _short_admin_name(unit)
        recipients, signer = _lines("docx.recipients.district"), _t("docx.signer.unit")
    else:
        district_like = parent is not None and parent.level == "district" and parent.code.isdigit()
        place = _short_admin_name(parent) if district_like else plan.place
        parent_body = issuer_for(parent, units, plan).body if parent else _t("docx.body.standing", name="Tỉnh đoàn")
        recipients, signer = _lines("docx.recipients.commune", parent=parent_body), _t("docx.signer.unit")
    return Issuer(
        superior_line=unit.superior_line,
        committee_line=unit.committee_line or (plan.issuer if unit.level == "province" else f"BCH {unit.name.upper()}"),
        symbol=unit.symbol or _t("docx.number_blank"),
        name=unit.name,
        body=body,
        sign_for=sign_for,
        signer_title=signer,
        place=place,
        recipients=recipients,
    )


def _lines(key: str, **values) -> tuple[str, ...]:
    return tuple(_t(key, **values).split("\n"))


# -- the figures --------------------------------------------------------------------------------------
@dataclass
class ReportData:
    scope: str  # "unit" | "district" | "province"
    unit: Unit  # the issuing unit
    issuer: Issuer
    plan: Plan
    as_of: dt.date
    until: dt.date  # last day counted (as-of capped at the deadline)
    final: bool  # the deadline has passed: an unmet target is "Không đạt", not "Chưa đạt"
    movement: str  # the plan's name, lower-case first letter
    descriptions: dict[str, str]  # target id → description
    members: pd.DataFrame  # unit_status rows the report covers (the issuing unit first), registry order
    member_targets: pd.DataFrame  # unit_targets rows of those units
    own_targets: pd.DataFrame  # the issuing unit's rows of unit_targets
    own_status: pd.Series | None  # the issuing unit's row of unit_status
    by_type: pd.DataFrame  # report_by_type over the members
    total: dict  # the scope's pooled figures: units, pairs, pairs_met, share_met, attainment
    rollup: pd.DataFrame  # province: attainment.district_rollup in registry order
    units: dict[str, Unit]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def scope_of(ctx: Context, scope: str | None) -> tuple[str | None, str | None]:
    """(unit_code, district_code) for build_report's scope: None/"province" → the province; a district-level
    union with grassroots unions → its district; any other unit → that unit alone."""
    if scope in PROVINCE_SCOPES:
        return None, None
    units = {u.code: u for u in ctx.units}
    unit = units.get(scope)
    if unit is None:
        raise ExportError(_t("report.error.unknown_unit", code=scope))
    if unit.level == "province":
        return None, None
    if unit.level == "district" and any(u.parent_code == unit.code for u in ctx.units):
        return None, unit.code
    return unit.code, None


def report_data(
    ctx: Context, as_of: dt.date, unit_code: str | None = None, district_code: str | None = None
) -> ReportData:
    """Figures of one report. unit_code: that unit alone; district_code: the district with its communes;
    neither: the province."""
    plan, units_by_code = ctx.plan, {u.code: u for u in ctx.units}
    if unit_code and district_code:
        raise ExportError(_t("report.error.both"))
    code = unit_code or district_code
    if code and code not in units_by_code:
        raise ExportError(_t("report.error.unknown_unit", code=code))
    if district_code and units_by_code[district_code].level != "district":
        raise ExportError(_t("report.error.not_district", code=district_code, name=units_by_code[district_code].name))
    scope = "unit" if unit_code else "district" if district_code else "province"
    unit = units_by_code[code] if code else next(u for u in ctx.units if u.level == "province")

    targets = attainment.unit_targets(ctx.db, plan, as_of, ctx.settings.lagging)
    status = attainment.unit_status(targets, plan, ctx.settings.lagging, as_of, LANGUAGE)
    if scope != "province" and unit.code not in set(status["code"]):
        raise ExportError(_t("report.error.inactive", code=unit.code, name=unit.name))
    order = {c: i for i, c in enumerate(units_by_code)}  # the registry's order, fixed from report to report
    if scope == "unit":
        members = status[status["code"] == unit.code]
    elif scope == "district":
        members = status[status["district_code"] == unit.code]
    else:
        members = status
    members = (
        members.assign(_first=members["code"] != unit.code, _order=members["code"].map(order))
        .sort_values(["_first", "_order"])
        .drop(columns=["_first", "_order"])
        .reset_index(drop=True)
    )
    member_targets = targets[targets["unit_code"].isin(set(members["code"]))]
    own = status[status["code"] == unit.code]
    until = min(as_of, plan.deadline)
    rollup = pd.DataFrame()
    if scope == "province":
        total = attainment.province_summary(targets, status)
        rollup = attainment.district_rollup(targets, status)
        rollup = (
            rollup.assign(_order=rollup["code"].map(order))
            .sort_values("_order")
            .drop(columns="_order")
            .reset_index(drop=True)
        )
    elif scope == "district":  # the same rollup the overview and `status` use for a district
        row = attainment.district_rollup(targets, status).set_index("code").loc[unit.code]
        total = {key: int(row[key]) for key in ("units", "pairs", "pairs_met")}
        total |= {key: float(row[key]) for key in ("share_met", "attainment")}
    else:
        total = attainment.province_summary(member_targets, members)
    by_type = _by_type(ctx.db, list(members["code"]), plan.start, until)
    return ReportData(
        scope=scope,
        unit=unit,
        issuer=issuer_for(unit, units_by_code, plan),
        plan=plan,
        as_of=as_of,
        until=until,
        final=as_of >= plan.deadline,
        movement=_lower_first(plan.name),
        descriptions={tg.id: tg.description for tg in plan.targets},
        members=members,
        member_targets=member_targets.reset_index(drop=True),
        own_targets=targets[targets["unit_code"] == unit.code].reset_index(drop=True),
        own_status=own.iloc[0] if len(own) else None,
        by_type=by_type,
        total=total,
        rollup=rollup,
        units=units_by_code,
    )


def _by_type(db: Database, codes: list[str], start: dt.date, until: dt.date) -> pd.DataFrame:
    return db.named("report_by_type", {"units": codes, "start": start, "until": until})


# -- the document -------------------------------------------------------------------------------------
def build_report(ctx: Context, scope: str | None, as_of: dt.date) -> bytes:
    """The .docx bytes of the results report for scope: None or "province", or a unit code (a district-level
    union with grassroots unions reports for its district; see scope_of)."""
    unit_code, district_code = scope_of(ctx, scope)
    return report_bytes(ctx, as_of, unit_code, district_code)


def build_document(
    ctx: Context,
    as_of: dt.date,
    unit_code: str | None = None,
    district_code: str | None = None,
    signer_title: str | None = None,
) -> Document:
    return render(report_data(ctx, as_of, unit_code, district_code), signer_title)


def report_bytes(ctx: Context, as_of: dt.date, unit_code: str | None = None, district_code: str | None = None) -> bytes:
    buffer = io.BytesIO()
    build_document(ctx, as_of, unit_code, district_code).save(buffer)
    return buffer.getvalue()


def report_file_name(
    ctx: Context, as_of: dt.date, unit_code: str | None = None, district_code: str | None = None
) -> str:
    code = unit_code or district_code
    scope = "don-vi" if unit_code else "huyen" if district_code else "toan-tinh"
    return f"bao-cao-antq-{scope}{'-' + re.sub(r'[^A-Za-z0-9-]', '', code) if code else ''}-{as_of.isoformat()}.docx"


def write_report(
    ctx: Context, as_of: dt.date, path: Path, unit_code: str | None = None, district_code: str | None = None
) -> ReportData:
    data = report_data(ctx, as_of, unit_code, district_code)
    render(data).save(str(path))
    return data


def render(data: ReportData, signer_title: str | None = None, made_at: dt.datetime | None = None) -> Document:
    doc = Document()
    _page_setup(doc)
    _properties(doc, data, made_at or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None))
    _heading_block(doc, data)
    _title(doc, data)
    _paragraph(doc, _opening(data), indent=True)
    _section_rollout(doc, data)
    _section_results(doc, data)
    _section_assessment(doc, data)
    _section_next(doc, data)
    _paragraph(doc, _t("docx.closing", movement=data.movement, body=data.issuer.body), indent=True)
    _signature(doc, data.issuer, signer_title)
    return doc


def _properties(doc: Document, data: ReportData, made_at: dt.datetime) -> None:
    """vi-VN on the defaults and every style (Word would spell-check Vietnamese as English), the issuing unit
    as author, the time made; python-docx's template otherwise says 'python-docx', 2013."""
    for rpr in [
        doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
        *(s.element.get_or_add_rPr() for s in doc.styles if hasattr(s.element, "get_or_add_rPr")),
    ]:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), LANGUAGE_TAG)
    props = doc.core_properties
    props.author = props.last_modified_by = data.issuer.name
    props.title = _t("docx.title", movement=data.movement)
    props.subject, props.keywords, props.category = data.plan.name, "", ""
    props.comments = _t("docx.comment", date=format_date(data.as_of))
    props.language = LANGUAGE_TAG
    props.created = props.modified = made_at
    printed = props._element.find(qn("cp:lastPrinted"))
    if printed is not None:
        props._element.remove(printed)
    props.revision = 1


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


def _cell_text(
    cell,
    text: str,
    bold=False,
    italic=False,
    underline=False,
    size=BODY_PT,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    first=True,
):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return paragraph


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
    run.bold = level < 3
    run.italic = level > 1
    run.font.size = Pt(BODY_PT)


def _widths(table, widths_cm: list[float]) -> None:
    """Word reads the cell widths, LibreOffice the table grid: set both."""
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _table(
    doc: Document,
    headers: list[str],
    rows: list[list[str]],
    widths_cm: list[float],
    aligns: list[str],
    bold_rows: set[int] = frozenset(),
) -> None:
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


def _heading_block(doc: Document, data: ReportData) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    _widths(table, [7.5, 9.0])
    issuer = data.issuer
    first = True
    if issuer.superior_line:
        _cell_text(left, issuer.superior_line, size=BODY_PT)
        first = False
    _cell_text(left, issuer.committee_line, bold=True, size=BODY_PT, first=first)
    _cell_text(left, "***", size=BODY_PT, first=False)
    _cell_text(left, _t("docx.number", number=_t("docx.number_blank"), symbol=issuer.symbol), size=BODY_PT, first=False)
    _cell_text(right, _t("report.union"), bold=True, underline=True, size=15)
    if issuer.superior_line:  # the date stays level with the number line
        _cell_text(right, "", size=BODY_PT, first=False)
    spacer = _cell_text(right, "", size=8, first=False)
    spacer.paragraph_format.space_after = Pt(4)
    _cell_text(right, place_date(issuer.place, data.until.year), italic=True, size=BODY_PT, first=False)


def place_date(place: str, year: int) -> str:
    """'Gò Dầu, ngày …… tháng …… năm 2022': the signer writes the day and month."""
    return _t("docx.place_date", place=place, year=year)


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
    cut_off = doc.add_paragraph()
    cut_off.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cut_off.paragraph_format.space_after = Pt(0)
    run = cut_off.add_run(_t("docx.cut_off", date=format_date(data.until)))
    run.italic, run.font.size = True, Pt(BODY_PT)
    line = doc.add_paragraph(_t("report.title_rule"))
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.space_after = Pt(12)


def _opening(data: ReportData) -> str:
    plan = data.plan
    year = plan.deadline.year
    where = {
        "district": lambda: _t("docx.where.district", name=data.unit.name),
        "province": lambda: _t("docx.where.province"),
        "unit": lambda: "",
    }[data.scope]()
    return _t(
        "docx.opening",
        number=plan.number or _t("docx.plan_number_blank"),
        date=format_date(plan.date) if plan.date else _t("docx.plan_date_blank", year=year),
        issued_by=plan.issued_by or _t("docx.body.standing", name="Tỉnh đoàn"),
        movement=data.movement,
        body=data.issuer.body,
        where=where,
    )


def _fill(doc: Document, text: str) -> None:
    """A paragraph the signer completes: italic, in brackets."""
    _paragraph(doc, text, indent=True, italic=True)


def _fact(doc: Document, text: str) -> None:
    _paragraph(doc, f"- {text}", indent=True)


# -- I. rollout ---------------------------------------------------------------------------------------
def _section_rollout(doc: Document, data: ReportData) -> None:
    _heading(doc, _t("docx.section.rollout"))
    if data.scope != "unit":
        _fact(
            doc,
            _t(
                "docx.rollout.reporting",
                reporting=format_number(_reporting_units(data)),
                units=format_number(len(data.members)),
            ),
        )
    _fill(doc, _t("docx.rollout.fill"))


def _reporting_units(data: ReportData) -> int:
    """Units with any activity in the period (of any type, counted for a target or not)."""
    return int(data.members["last_activity"].notna().sum())


# -- II. results --------------------------------------------------------------------------------------
def verdict(met: bool, final: bool) -> str:
    return status_word("met", LANGUAGE) if met else _t("docx.not_met") if final else _t("docx.not_yet_met")


def target_rows(targets: pd.DataFrame, descriptions: dict[str, str], final: bool) -> list[list[str]]:
    return [
        [
            str(i),
            descriptions.get(r.target_id, ""),
            format_number(int(r.minimum)),
            format_number(int(r.count)),
            verdict(bool(r.met), final),
        ]
        for i, r in enumerate(targets.itertuples(), start=1)
    ]


def _targets_table(doc: Document, data: ReportData, targets: pd.DataFrame) -> None:
    _table(
        doc,
        [
            _t("docx.col.no"),
            _t("docx.col.target"),
            _t("docx.col.assigned"),
            _t("docx.col.result"),
            _t("docx.col.verdict"),
        ],
        target_rows(targets, data.descriptions, data.final),
        [1.3, 9.2, 2.0, 1.8, 2.2],
        ["c", "l", "c", "c", "c"],
    )


def _section_results(doc: Document, data: ReportData) -> None:
    _heading(doc, _t("docx.section.results"))
    _heading(doc, _t("docx.sub.targets"), 2)
    total = data.total
    figures = {
        "units": format_number(total["units"]),
        "met": format_number(total["pairs_met"]),
        "pairs": format_number(total["pairs"]),
        "share": format_percent(total["share_met"]),
        "attainment": format_percent(total["attainment"]),
    }
    if data.scope == "province":
        _paragraph(doc, _t("docx.province_total", **figures), indent=True)
        _heading(doc, _t("docx.sub.province_own"), 3)
        _unit_total(doc, data)
        _targets_table(doc, data, data.own_targets)
        _heading(doc, _t("docx.sub.province_levels"), 3)
        _levels_table(doc, data)
        _heading(doc, _t("docx.sub.province_districts"), 3)
        _table(
            doc,
            [
                _t("docx.col.no"),
                _t("docx.col.unit"),
                _t("docx.col.units"),
                _t("docx.col.pairs_met"),
                _t("docx.col.share"),
                _t("docx.col.attainment"),
            ],
            rollup_rows(data.rollup),
            [1.3, 6.6, 1.9, 2.5, 1.9, 2.3],
            ["c", "l", "c", "c", "c", "c"],
        )
    elif data.scope == "district":
        communes = data.members[data.members["code"] != data.unit.code]
        _heading(doc, _t("docx.sub.district_total"), 3)
        name, count = data.unit.name, format_number(len(communes))
        _paragraph(doc, _t("docx.district_total", name=name, communes=count, **figures), indent=True)
        _levels_table(doc, data)
        _heading(doc, _t("docx.sub.district_own", name=data.unit.name), 3)
        _unit_total(doc, data)
        _targets_table(doc, data, data.own_targets)
        if len(communes):
            _heading(doc, _t("docx.sub.district_communes"), 3)
            _members_table(doc, data, communes)
    else:
        _unit_total(doc, data)
        _targets_table(doc, data, data.own_targets)
    _heading(doc, _t("docx.sub.activities"), 2)
    _activities(doc, data)


def _levels_table(doc, data) -> None:
    """Per target and level: how many member units met it, and their share (the province's and a district's)."""
    headings = [_t(f"docx.col.{key}") for key in ("no", "target", "level", "units_met", "share")]
    rows = level_rows(data.member_targets, data.plan, data.descriptions)
    _table(doc, headings, rows, [1.3, 9.4, 1.8, 2.2, 1.8], ["c", "l", "c", "c", "c"])


def _unit_total(doc: Document, data: ReportData) -> None:
    own = data.own_status
    if own is not None:
        _paragraph(
            doc,
            _t("docx.unit_total", name=data.unit.name, met=int(own["targets_met"]), total=int(own["targets_total"])),
            indent=True,
        )


def level_rows(targets: pd.DataFrame, plan: Plan, descriptions: dict[str, str]) -> list[list[str]]:
    """Per target of the district and commune levels: units that met it of those it applies to."""
    rows = []
    for tg in plan.targets:
        applicable = targets[(targets["target_id"] == tg.id) & (targets["level"] != "province")]
        if not len(applicable):
            continue
        met = int(applicable["met"].sum())
        rows.append(
            [
                str(len(rows) + 1),
                descriptions.get(tg.id, ""),
                _t(f"docx.level.{tg.level}"),
                f"{format_number(met)}/{format_number(len(applicable))}",
                format_percent(met / len(applicable)),
            ]
        )
    return rows


def rollup_rows(rollup: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(i),
            str(r.name),
            format_number(int(r.units)),
            f"{int(r.pairs_met)}/{int(r.pairs)}",
            format_percent(r.share_met),
            format_percent(r.attainment),
        ]
        for i, r in enumerate(rollup.itertuples(), start=1)
    ]


def _members_table(doc: Document, data: ReportData, members: pd.DataFrame) -> None:
    """One row per grassroots union in the registry's order, one column per commune-level target, numbered
    (1), (2) with the targets in words above the table (no internal code); a cell reads "Đạt (5)", the count in
    brackets ("5/1" reads as a date)."""
    target_ids = [
        tg.id
        for tg in data.plan.targets
        if tg.id in set(data.member_targets[data.member_targets["unit_code"].isin(members["code"])]["target_id"])
    ]
    for number, target_id in enumerate(target_ids, start=1):
        _paragraph(
            doc,
            _t("docx.targets_legend", number=number, description=data.descriptions.get(target_id, "")),
            indent=True,
            italic=True,
            size=TABLE_PT,
        )
    _paragraph(doc, _t("docx.cell_legend"), indent=True, italic=True, size=TABLE_PT)
    by_pair = data.member_targets.set_index(["unit_code", "target_id"])
    rows = []
    for i, m in enumerate(members.itertuples(), start=1):
        cells = []
        for target_id in target_ids:
            r = by_pair.loc[(m.code, target_id)]
            cells.append(
                _t(
                    "docx.cell_verdict",
                    verdict=verdict(bool(r["met"]), data.final),
                    count=format_number(int(r["count"])),
                )
            )
        rows.append([str(i), m.name, *cells, f"{int(m.targets_met)}/{int(m.targets_total)}"])
    widths = [1.3, 5.8] + [max(2.6, 7.2 / max(len(target_ids), 1))] * len(target_ids) + [2.0]
    _table(
        doc,
        [
            _t("docx.col.no"),
            _t("docx.col.unit"),
            *(_t("docx.col.numbered_target", number=n) for n in range(1, len(target_ids) + 1)),
            _t("docx.col.targets_met"),
        ],
        rows,
        widths,
        ["c", "l", *("c" * len(target_ids)), "c"],
    )


def _activities(doc: Document, data: ReportData) -> None:
    done = data.by_type[data.by_type["activities"] > 0]
    if not len(done):
        _paragraph(doc, _t("docx.no_activities"), indent=True)
        return
    activities, participants = int(done["activities"].sum()), int(done["participants"].sum())
    budget, with_budget = int(done["budget"].sum()), int(done["with_budget"].sum())
    _paragraph(
        doc,
        _t(
            "docx.activities_summary",
            activities=format_number(activities),
            types=len(done),
            participants=format_number(participants),
            budget=format_number(budget),
        ),
        indent=True,
    )
    if with_budget < activities:
        _paragraph(
            doc,
            _t("docx.budget_partial", with_budget=format_number(with_budget), activities=format_number(activities)),
            indent=True,
            italic=True,
            size=TABLE_PT,
        )
    rows, bold = [], set()
    for number, (group_label, group) in enumerate(done.groupby("group_label", sort=False), start=1):
        bold.add(len(rows))
        rows.append(
            [
                str(number),
                group_label,
                format_number(int(group["activities"].sum())),
                format_number(int(group["participants"].sum())),
                format_number(int(group["budget"].sum())),
            ]
        )
        for i, r in enumerate(group.itertuples(), start=1):
            rows.append(
                [
                    f"{number}.{i}",
                    r.type_label,
                    format_number(int(r.activities)),
                    format_number(int(r.participants)),
                    format_number(int(r.budget)),
                ]
            )
    bold.add(len(rows))
    rows.append(["", _t("docx.total"), format_number(activities), format_number(participants), format_number(budget)])
    _table(
        doc,
        [
            _t("docx.col.no"),
            _t("docx.col.type"),
            _t("docx.col.activities"),
            _t("docx.col.participants"),
            _t("docx.col.budget"),
        ],
        rows,
        [1.4, 6.8, 2.1, 2.5, 3.7],
        ["c", "l", "c", "c", "r"],
        bold,
    )


# -- III. assessment ----------------------------------------------------------------------------------
def _section_assessment(doc: Document, data: ReportData) -> None:
    _heading(doc, _t("docx.section.assessment"))
    _heading(doc, _t("docx.sub.strengths"), 2)
    for text in strengths(data):
        _fact(doc, text)
    _fill(doc, _t("docx.strengths.fill"))
    _heading(doc, _t("docx.sub.shortcomings"), 2)
    for text in shortcomings(data):
        _fact(doc, text)
    _fill(doc, _t("docx.shortcomings.fill"))


def strengths(data: ReportData) -> list[str]:
    facts = []
    own = data.own_targets
    met = own[own["met"]]
    if len(met):
        facts.append(
            _t(
                "docx.strength.targets",
                met=len(met),
                total=len(own),
                targets="; ".join(f"“{data.descriptions.get(r.target_id, '')}”" for r in met.itertuples()),
            )
        )
    if data.scope != "unit":
        all_met = data.members[data.members["targets_met"] == data.members["targets_total"]]
        if len(all_met):
            facts.append(
                _t("docx.strength.all_units", count=format_number(len(all_met)), units=format_number(len(data.members)))
            )
    done = data.by_type[data.by_type["activities"] > 0]
    if len(done):
        facts.append(
            _t(
                "docx.strength.activities",
                activities=format_number(int(done["activities"].sum())),
                participants=format_number(int(done["participants"].sum())),
            )
        )
    return facts


def shortcomings(data: ReportData) -> list[str]:
    """Targets not met, in words: the issuing unit's with its count, then each target's units that missed it."""
    word = _lower_first(verdict(False, data.final))
    facts = [
        _t(
            "docx.shortcoming.unit_target",
            description=data.descriptions.get(r.target_id, ""),
            verdict_lower=word,
            count=int(r.count),
            minimum=int(r.minimum),
        )
        for r in data.own_targets[~data.own_targets["met"]].itertuples()
    ]
    if data.scope != "unit":
        others = data.member_targets[(data.member_targets["unit_code"] != data.unit.code) & ~data.member_targets["met"]]
        for tg in data.plan.targets:
            missed = others[others["target_id"] == tg.id]
            if not len(missed):
                continue
            facts.append(
                _t(
                    "docx.shortcoming.target_units",
                    description=data.descriptions.get(tg.id, ""),
                    count=format_number(len(missed)),
                    verdict_lower=word,
                    units=unit_list(data, list(missed["unit_code"])),
                )
            )
    return facts or [_t("docx.shortcoming.none")]


def unit_list(data: ReportData, codes: list[str]) -> str:
    """Names in the registry's order. In the province's report grassroots unions follow their district's union
    in brackets, as names repeat across districts (Đoàn xã Tân Bình): 'Đoàn phường 2, Đoàn phường 3 (Thành
    đoàn Tây Ninh); Huyện đoàn Gò Dầu'."""
    order = {c: i for i, c in enumerate(data.units)}
    codes = sorted(codes, key=lambda c: order.get(c, len(order)))
    if data.scope != "province":
        return ", ".join(data.units[c].name for c in codes)
    groups: dict[str, list[str]] = {}
    for code in codes:
        unit = data.units[code]
        key = unit.parent_code if unit.level == "commune" else f"={code}"
        groups.setdefault(key or code, []).append(unit.name)
    parts = []
    for key, names in groups.items():
        parent = data.units.get(key)
        parts.append(f"{', '.join(names)} ({parent.name})" if parent and not key.startswith("=") else names[0])
    return "; ".join(parts)


# -- IV. next steps -----------------------------------------------------------------------------------
def commendation_candidates(data: ReportData) -> list[str]:
    """Codes of the units the report covers, the issuing unit aside, that met every target: candidates the
    signer confirms."""
    others = data.members[data.members["code"] != data.unit.code]
    return list(others[others["targets_met"] == others["targets_total"]]["code"])


def _section_next(doc: Document, data: ReportData) -> None:
    _heading(doc, _t("docx.section.next"))
    _heading(doc, _t("docx.sub.direction"), 2)
    _fill(doc, _t("docx.direction.fill"))
    _heading(doc, _t("docx.sub.proposals"), 2)
    _fill(doc, _t("docx.proposals.fill"))
    _heading(doc, _t("docx.sub.commendation"), 2)
    if data.scope != "unit":
        candidates = commendation_candidates(data)
        _paragraph(
            doc,
            _t("docx.commendation.candidates", units=unit_list(data, candidates))
            if candidates
            else _t("docx.commendation.none"),
            indent=True,
        )
    _fill(doc, _t("docx.commendation.fill"))


def _signature(doc: Document, issuer: Issuer, signer_title: str | None) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    _widths(table, [6.5, 10.0])
    _cell_text(left, _t("docx.recipients"), bold=True, italic=True, size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in issuer.recipients:
        _cell_text(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, first=False)
    _cell_text(right, issuer.sign_for, bold=True, size=BODY_PT)
    _cell_text(right, signer_title or issuer.signer_title, bold=True, size=BODY_PT, first=False)
    for _ in range(4):
        _cell_text(right, "", size=BODY_PT, first=False)
    _cell_text(right, _t("docx.signer.name"), bold=True, size=BODY_PT, first=False)
