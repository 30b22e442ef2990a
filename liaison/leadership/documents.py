"""An approved briefing printed (PDF) and as a spreadsheet (XLSX), both from its snapshot.

Chinese and English side by side, whatever the reader's language, as the manifest is. The
snapshot holds counts and codes only, so neither file can name a traveler."""

from __future__ import annotations

from django.utils import translation

from liaison.core.exports import xlsx_bytes
from liaison.core.pdf import render_pdf
from liaison.leadership import figures, labels, present
from liaison.leadership.models import Briefing

TEMPLATE = "leadership/briefing_print.html"


def context(briefing: Briefing, user=None) -> dict:
    return {
        "briefing": briefing,
        "sections": present.sections(briefing.snapshot, user),
        "status": _status(briefing),
    }


def _status(briefing: Briefing) -> dict[str, str]:
    out = {}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            out[key] = str(briefing.get_status_display())
    return out


def pdf(briefing: Briefing) -> bytes:
    return render_pdf(TEMPLATE, context(briefing))


def xlsx(briefing: Briefing) -> bytes:
    header = ["表 Table", "行 Row", "列 Column", "数 Value", "键 Key"]
    rows = []
    for key, cell in figures.flat(briefing.snapshot).items():
        table = labels.title(labels.TABLES, cell["table"])
        row, col = labels.both(cell["row"]), labels.both(cell["col"])
        rows.append(
            [
                f"{table['zh']} {table['en']}",
                f"{row['zh']} {row['en']}",
                f"{col['zh']} {col['en']}",
                cell["value"],
                key,
            ]
        )
    rows.append(["要点 Highlights", "中文", "", briefing.highlights_zh, "highlights.zh"])
    rows.append(["要点 Highlights", "English", "", briefing.highlights_en, "highlights.en"])
    cutoff = f"{briefing.cutoff:%Y-%m-%d %H:%M %z}"
    rows.insert(0, ["截止 Data cut-off", cutoff, "", "", "cutoff"])
    return xlsx_bytes(f"日报 Briefing {briefing.day:%Y-%m-%d}", header, rows)
