"""Reading an airline's passenger list (CSV or XLSX: name, document, seat) for one flight."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from liaison.arrivals.forms import SEAT
from liaison.core import uploads
from liaison.core.normalize import document_number

MAX_ROWS = 2000
MAX_LINES = MAX_ROWS + 200  # the header, the passengers and some blank lines; no more is read
_HEADERS = {
    "name": {"name", "passenger", "passenger name", "姓名"},
    "document": {"document", "document number", "passport", "passport number", "证件号码"},
    "seat": {"seat", "座位", "座位号"},
}


@dataclass
class ManifestRow:
    line: int
    name: str
    document_number: str
    seat: str


@dataclass
class ParsedManifest:
    rows: list[ManifestRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def read(content: bytes, filename: str) -> ParsedManifest:
    """Rows and problems (with line numbers, as a spreadsheet shows them) of an uploaded file."""
    result = ParsedManifest()
    try:
        table = _xlsx(content) if filename.lower().endswith(".xlsx") else _csv(content)
    except ValueError as error:  # uploads.UploadRefused is one: too large, not a workbook …
        result.problems.append((0, str(error)))
        return result
    if not table:
        result.problems.append((1, _("The file is empty.")))
        return result
    header = [str(h or "").strip().lower() for h in table[0]]
    columns = {}
    for key, names in _HEADERS.items():
        for index, title in enumerate(header):
            if title in names:
                columns[key] = index
    missing = [k for k in ("name", "document") if k not in columns]
    if missing:
        result.problems.append(
            (1, _("The first line must name the columns: name, document, seat."))
        )
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problems.append((0, _("At most %(n)d passengers per file.") % {"n": MAX_ROWS}))
        return result
    seen: dict[str, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        cells = [str(c if c is not None else "").strip() for c in cells]
        if not any(cells):
            continue

        def cell(key, cells=cells):
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        name, document, seat = (
            cell("name"),
            document_number(cell("document")),
            cell("seat"),
        )
        seat = seat.replace(" ", "").upper()
        if not name:
            result.problems.append((line, _("The name is missing.")))
        elif len(name) > 200:
            result.problems.append((line, _("The name is too long.")))
        if not document or not document.isalnum() or not 5 <= len(document) <= 20:
            result.problems.append(
                (line, _("The document number must have 5 to 20 letters and digits."))
            )
            continue
        if seat and not SEAT.match(seat):
            result.problems.append((line, _("The seat “%(seat)s” is not a seat.") % {"seat": seat}))
            continue
        if document in seen:
            result.problems.append(
                (
                    line,
                    _("The same document is already on line %(line)d.") % {"line": seen[document]},
                )
            )
            continue
        seen[document] = line
        if name and len(name) <= 200:
            result.rows.append(ManifestRow(line, name, document, seat))
    return result


def _csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("The CSV file must be UTF-8 text.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [cells for _line, cells in uploads.csv_lines(text, max_lines=MAX_LINES, dialect=dialect)]


def _xlsx(content: bytes) -> list[list]:
    # Capped by what the workbook unpacks to; reading stops at the cap (core/uploads.py).
    return [cells for _line, cells in uploads.xlsx_lines(content, max_lines=MAX_LINES)]
