"""Reading a laboratory's results file (CSV or XLSX) into rows, with each bad row's line.

Only the shape of each row is checked here (a barcode, a known result word, a readable time);
whether the barcode is known and the time possible is the services' business, against the
database. Line numbers are those a person sees in a spreadsheet: the header is line 1.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from liaison.core import uploads
from liaison.core.params import in_range
from liaison.core.refusals import Refused
from liaison.screening.results import clean_result_value
from liaison.screening.sampling import clean_barcode

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
# Lines read at most, blank ones included: the rows, a header, and room for blank lines. Reading
# stops there: a sheet of a million empty rows is refused after this many, not parsed whole.
MAX_LINES = MAX_ROWS + MAX_ROWS // 10


def _too_many_rows() -> str:
    return _("Too many rows; split the file (at most 50,000 rows).")


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
    refused: str = ""  # the file was refused whole, for this reason


def read_once(content: bytes, filename: str) -> Parsed:
    """``read``, once per file: the preview, the staging and the save of one upload share the
    parse, kept in the cache under the file's digest (with its kind, and the language of the
    problems' messages) for a day."""
    kind = "xlsx" if (filename or "").lower().endswith(".xlsx") else "csv"
    digest = hashlib.sha256(content).hexdigest()
    # The version: a parse cached by an older shape of ``Parsed`` is not read back.
    key = f"results-file:v1:{digest}:{kind}:{translation.get_language()}"
    parsed = cache.get(key)
    if parsed is None:
        parsed = read(content, filename)
        cache.set(key, parsed, timeout=24 * 3600)
    return parsed


def read(content: bytes, filename: str) -> Parsed:
    """The rows and bad rows of a file; a file refused whole (too large once unpacked, entities
    in its XML, not a workbook) has ``refused`` set and that one problem on line 0."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        lines = _xlsx_lines(content)
    elif name.endswith((".csv", ".txt")):
        lines = _csv_lines(content)
    else:
        return Parsed(problems=[Problem(0, "", _("The file must be a CSV or XLSX file."))])
    try:
        return _rows(lines)
    except uploads.UploadRefused as refused:
        return Parsed(problems=[Problem(0, "", refused.message)], refused=refused.message)


def _csv_lines(content: bytes):
    """(line number, cells) of a CSV file; a line that is not UTF-8 comes as (line, None)."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    for number, raw in enumerate(content.splitlines(), start=1):
        if number > MAX_LINES:
            raise uploads.UploadRefused(_too_many_rows())
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, None
            continue
        yield number, uploads.csv_line(text, number)


def _xlsx_lines(content: bytes):
    return uploads.xlsx_lines(content, max_lines=MAX_LINES)


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
    if not in_range(moment):  # year 1 or 9999: no time zone can hold it
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _rows(lines) -> Parsed:
    parsed = Parsed()
    columns: dict[str, int] | None = None
    for number, cells in lines:
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
            raise uploads.UploadRefused(_too_many_rows())

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
