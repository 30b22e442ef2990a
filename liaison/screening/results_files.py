"""Reading a laboratory's results file (CSV or XLSX) into rows, with each bad row's line.

Only the shape of each row is checked here (a barcode, a known result word, a readable time);
whether the barcode is known and the time possible is the services' business, against the
database. Line numbers are those a person sees in a spreadsheet: the header is line 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

# Column names a laboratory may use, in either staff language.
COLUMNS = {
    "barcode": "barcode",
    "tube": "barcode",
    "tube_barcode": "barcode",
    "条码": "barcode",
    "样本条码": "barcode",
    "result": "result",
    "结果": "result",
    "检测结果": "result",
    "tested_at": "tested_at",
    "time": "tested_at",
    "检测时间": "tested_at",
    "lab": "lab",
    "laboratory": "lab",
    "实验室": "lab",
    "检测机构": "lab",
}
REQUIRED = ("barcode", "result", "tested_at")
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Row:
    line: int
    barcode: str
    result: str  # a ResultValue
    tested_at: datetime
    lab: str = ""


@dataclass(frozen=True)
class Problem:
    line: int
    barcode: str
    reason: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_seen: int = 0


def read(content: bytes, filename: str) -> Parsed:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _rows(_xlsx_lines(content))
    if name.endswith((".csv", ".txt")):
        return _rows(_csv_lines(content))
    return Parsed(problems=[Problem(0, "", _("The file must be a CSV or XLSX file."))])


def _csv_lines(content: bytes):
    """(line number, cells) of a CSV file; a line that is not UTF-8 comes as (line, None)."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    for number, raw in enumerate(content.splitlines(), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, None
            continue
        cells = next(csv.reader([text]), [])
        yield number, cells


def _xlsx_lines(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        yield 0, ("__not_xlsx__",)
        return
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else v for v in values]
    workbook.close()


def _time(value) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip().replace("/", "-")
        try:
            moment = parse_datetime(text)
        except ValueError:
            return None
        if moment is None:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _rows(lines) -> Parsed:
    from liaison.screening.services import Refused, clean_barcode, clean_result_value

    parsed = Parsed()
    columns: dict[str, int] | None = None
    for number, cells in lines:
        if cells == ("__not_xlsx__",):
            parsed.problems.append(Problem(0, "", _("The file is not a readable XLSX workbook.")))
            return parsed
        if cells is None:
            parsed.rows_seen += columns is not None
            parsed.problems.append(
                Problem(number, "", _("The line is not UTF-8 text (save the file as UTF-8)."))
            )
            continue
        if not any(str(c).strip() for c in cells):
            continue
        if columns is None:
            columns = {}
            for index, cell in enumerate(cells):
                key = COLUMNS.get(str(cell).strip().lower())
                if key and key not in columns:
                    columns[key] = index
            missing = [name for name in REQUIRED if name not in columns]
            if missing:
                parsed.problems.append(
                    Problem(
                        number,
                        "",
                        _("The header lacks the column(s) %(cols)s.")
                        % {"cols": ", ".join(missing)},
                    )
                )
                return parsed
            continue
        parsed.rows_seen += 1
        if parsed.rows_seen > MAX_ROWS:
            parsed.problems.append(
                Problem(number, "", _("Too many rows; split the file (at most 50,000 rows)."))
            )
            return parsed

        def cell(name: str, cells=cells, columns=columns):
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        barcode_text = str(cell("barcode")).strip()
        try:
            barcode = clean_barcode(barcode_text)
            result = clean_result_value(str(cell("result")))
        except Refused as refused:
            parsed.problems.append(Problem(number, barcode_text[:40], refused.message))
            continue
        tested_at = _time(cell("tested_at"))
        if tested_at is None:
            parsed.problems.append(
                Problem(
                    number, barcode, _("The test time is not a date and time (YYYY-MM-DD HH:MM).")
                )
            )
            continue
        parsed.rows.append(Row(number, barcode, result, tested_at, str(cell("lab")).strip()[:200]))
    if columns is None and not parsed.problems:
        parsed.problems.append(Problem(0, "", _("The file is empty.")))
    return parsed
