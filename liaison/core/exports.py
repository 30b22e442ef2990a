"""The one spreadsheet writer: a header and rows of text, as CSV (streamed) or XLSX.

Every export goes through here (the audit trail, the desks' lists), so that every export is safe
the same way: a cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, a tab
or a carriage return first) is made inert — in CSV by a leading apostrophe, in XLSX by writing
every cell as text — and characters XML cannot hold are dropped. What to write (headers in the
reader's language, labels and names rather than codes) is the caller's business.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet is built in memory; past this, the CSV (streamed) is the way.
XLSX_LIMIT = 100_000

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """A cell a spreadsheet must not run: anyone's text (a name, a user name) may start like a
    formula."""
    return "'" + value if value[:1] in _FORMULA_STARTS else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that a spreadsheet opens the file as UTF-8
    yield writer.writerow([inert(str(c)) for c in header])
    for cells in rows:
        yield writer.writerow([inert(str(c)) for c in cells])


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[str | int]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    # A sheet's name holds 31 characters, none of []:*?/\
    sheet = workbook.create_sheet("".join(c for c in title if c not in "[]:*?/\\")[:31])

    def text_row(values: Sequence[str | int]) -> list:
        row = []
        for value in values:
            if isinstance(value, int) and not isinstance(value, bool):
                row.append(WriteOnlyCell(sheet, value=value))  # a count: a number, to add up
                continue
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            row.append(cell)
        return row

    sheet.append(text_row(header))
    for cells in rows:
        sheet.append(text_row(cells))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def file_response(
    fmt: str, *, name: str, title: str, header: Sequence[str], rows: Iterable[Sequence[str]]
) -> HttpResponse:
    """The download: ``name-YYYYMMDD-HHMM.csv`` (or ``.xlsx``), an attachment.

    The CSV is streamed after the view returns, so the rows are rendered in the reader's
    language, kept here. (``NoStoreMiddleware`` marks it ``no-store``, as every staff answer.)
    """
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        language = translation.get_language()

        def lines():
            with translation.override(language):
                yield from csv_lines(header, rows)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(title, header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response
