"""The bilingual handover manifest as a PDF (reportlab, with its built-in CJK font).

``STSong-Light`` is one of the Adobe CID fonts every PDF reader carries, so the file embeds no
font and prints Chinese names on any machine.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from liaison.handover.selectors import mask_document

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def manifest_pdf(batch, members) -> bytes:
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=20)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    jurisdiction = batch.destination_jurisdiction
    story = [
        Paragraph(f"转运交接单 Handover manifest · {batch.number}", title),
        Spacer(1, 3 * mm),
        Paragraph(
            f"目的地 Destination: {jurisdiction.name_zh} {jurisdiction.name_en}<br/>"
            f"处置 Disposition: {batch.get_disposition_display()} ({batch.disposition})<br/>"
            f"车辆 Vehicle: {batch.vehicle} · 随车人员 Escort: {batch.escort}<br/>"
            f"计划出发 Planned departure: {_local(batch.planned_departure)} · "
            f"实际出发 Departed: {_local(batch.departed_at)}<br/>"
            f"人数 Travelers: {len(members)}",
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [
            "#",
            "代码 Code",
            "姓名 Name",
            "Name (Latin)",
            "国籍 Nat.",
            "证件 Document",
            "航班 Flight",
            "签收 Received",
        ]
    ]
    for index, member in enumerate(members, 1):
        arrival = member.arrival
        rows.append(
            [
                str(index),
                arrival.display_code,
                arrival.name_native or "—",
                arrival.name_latin,
                arrival.nationality.code,
                mask_document(arrival.document_number),
                arrival.flight.number,
                "",
            ]
        )
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[8 * mm, 22 * mm, 24 * mm, 42 * mm, 14 * mm, 26 * mm, 18 * mm, 26 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa3ad")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 8 * mm),
        Paragraph(
            "交出人 Handed over by: ____________ 接收人 Received by: ____________ "
            "时间 Time: ____________",
            body,
        ),
    ]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Handover manifest {batch.number}",
    )
    document.build(story)
    return buffer.getvalue()
