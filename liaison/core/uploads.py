"""One safe reader of uploaded spreadsheets (CSV and XLSX): capped by what a file unpacks to.

A small file can stand for a huge table: an XLSX is a ZIP whose members may unpack to gigabytes
(a compression bomb), its XML may declare entities that expand a billionfold ("billion laughs"),
a sheet of one cell at row 1,048,576 is read as a million empty rows, and a CSV field may be
longer than the csv module allows. So, before and while reading:

1. an XLSX's ZIP directory is checked first: the number of members, their declared unpacked
   sizes (Python's zipfile never yields more than a member declares) and compression ratios;
2. its XML parts may not declare a DTD or entities (also refused by defusedxml, which openpyxl
   uses when it is installed);
3. the sheet is read in openpyxl's read-only mode, row by row, at most ``max_columns`` wide, and
   reading stops at the first line or cell past the caps — nothing is parsed after the cap;
4. a CSV is read as a stream by the csv module; a field past its limit is a refusal, not a crash.

Every refusal is ``UploadRefused`` with a message for the person who sent the file. The caps are
settings (environment variables of the same names; see the README):

- ``LIAISON_UPLOAD_MAX_UNPACKED_BYTES`` (64 MiB): what an XLSX's members may unpack to, together;
- ``LIAISON_UPLOAD_MAX_RATIO`` (200): a member's unpacked size over its packed size;
- ``LIAISON_UPLOAD_MAX_CELLS`` (1,000,000): cells read from one file;
- ``LIAISON_UPLOAD_MAX_COLUMNS`` (50): columns read from each line (more are ignored);
- lines: each kind of upload gives its own cap (results files 50,000 rows, manifests 2,000).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from liaison.core.refusals import Refused

DEFAULTS = {
    "LIAISON_UPLOAD_MAX_UNPACKED_BYTES": 64 * 1024 * 1024,
    "LIAISON_UPLOAD_MAX_RATIO": 200,
    "LIAISON_UPLOAD_MAX_CELLS": 1_000_000,
    "LIAISON_UPLOAD_MAX_COLUMNS": 50,
}
MAX_MEMBERS = 1000  # a workbook has a few dozen parts
# A member this small may be compressed as much as it likes (an empty sheet's XML compresses 50×).
_RATIO_FREE_BYTES = 1024 * 1024
_PROLOG_BYTES = 64 * 1024  # a DTD must come before the root element: in the first bytes


class UploadRefused(Refused, ValueError):
    """A file that will not be read, with the message for the person who sent it (on its
    ``file`` field). Still a ``ValueError``: a reader's caller may catch both at once."""

    def __init__(self, message: str):
        super().__init__(message, "file")


def limit(name: str) -> int:
    """A cap: the setting if the project sets it, else the environment variable, else the
    documented default."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or DEFAULTS[name]
    return int(value)


def _too_many_lines(max_lines: int) -> UploadRefused:
    return UploadRefused(
        _("The file has more than %(n)s lines; split it into smaller files.")
        % {"n": f"{max_lines:,}"}
    )


def _nul(line: int) -> UploadRefused:
    return UploadRefused(
        _("Line %(line)s of the file holds a NUL character; no spreadsheet cell holds one.")
        % {"line": line}
    )


def _too_many_cells(max_cells: int) -> UploadRefused:
    return UploadRefused(
        _("The file has more than %(n)s cells; split it into smaller files.")
        % {"n": f"{max_cells:,}"}
    )


# --- XLSX -------------------------------------------------------------------------------------


def check_zip(content: bytes) -> zipfile.ZipFile:
    """The archive, once its directory shows it unpacks to no more than the caps allow."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(_("The file is not a readable XLSX workbook.")) from None
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(_("The workbook has too many parts to be a spreadsheet."))
    max_bytes = limit("LIAISON_UPLOAD_MAX_UNPACKED_BYTES")
    max_ratio = limit("LIAISON_UPLOAD_MAX_RATIO")
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        raise UploadRefused(
            _("The workbook unpacks to %(size)s; at most %(limit)s is read. Split it.")
            % {"size": filesizeformat(total), "limit": filesizeformat(max_bytes)}
        )
    for member in members:
        if member.file_size > _RATIO_FREE_BYTES and (
            member.file_size > max_ratio * max(member.compress_size, 1)
        ):
            raise UploadRefused(
                _("The workbook is compressed beyond what a spreadsheet can be (%(ratio)s to 1).")
                % {"ratio": member.file_size // max(member.compress_size, 1)}
            )
    return archive


def check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse XML parts that declare a DTD or entities (entity expansion, external entities)."""
    for member in archive.infolist():
        if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(member) as part:
                head = part.read(_PROLOG_BYTES)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise UploadRefused(_("The file is not a readable XLSX workbook.")) from None
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise UploadRefused(
                _("The workbook's XML declares entities (a DTD); such files are not read.")
            )


def xlsx_lines(content: bytes, *, max_lines: int) -> Iterator[tuple[int, list]]:
    """(line number, cell values) of the first sheet's lines, blank lines included, at most
    ``max_lines`` of them; ``UploadRefused`` before reading anything past a cap."""
    from openpyxl import load_workbook

    archive = check_zip(content)
    check_xml_parts(archive)
    archive.close()
    max_cells, max_columns = limit("LIAISON_UPLOAD_MAX_CELLS"), limit("LIAISON_UPLOAD_MAX_COLUMNS")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a file that is no workbook
        raise UploadRefused(_("The file is not a readable XLSX workbook.")) from None
    try:
        if not workbook.worksheets:
            raise UploadRefused(_("The file is not a readable XLSX workbook."))
        sheet = workbook.worksheets[0]
        cells = 0
        try:
            width = sheet.max_column  # the sheet's declared dimension, if it has one
            if not isinstance(width, int) or not 0 < width < max_columns:
                width = max_columns
            rows = sheet.iter_rows(max_col=width, values_only=True)
            for number, values in enumerate(rows, start=1):
                if number > max_lines:
                    raise _too_many_lines(max_lines)
                line = ["" if value is None else value for value in values]
                while line and line[-1] == "":  # a blank line costs a line, not its width
                    line.pop()
                cells += len(line)
                if cells > max_cells:
                    raise _too_many_cells(max_cells)
                if any(isinstance(value, str) and "\x00" in value for value in line):
                    raise _nul(number)
                yield number, line
        except UploadRefused:
            raise
        except Exception:  # noqa: BLE001 - a broken sheet (bad XML, an entity defusedxml refused)
            raise UploadRefused(_("The file is not a readable XLSX workbook.")) from None
    finally:
        workbook.close()


# --- CSV --------------------------------------------------------------------------------------


def csv_lines(
    text: str, *, max_lines: int, dialect: type[csv.Dialect] | csv.Dialect = csv.excel
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of CSV text, read as a stream and capped like a workbook. A field
    longer than the csv module's limit, or a NUL, is a refusal naming the line."""
    max_cells = limit("LIAISON_UPLOAD_MAX_CELLS")
    reader = csv.reader(io.StringIO(text), dialect)
    cells = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise UploadRefused(
                _("Line %(line)s of the file cannot be read as CSV (a field too long or broken).")
                % {"line": reader.line_num}
            ) from None
        if reader.line_num > max_lines:
            raise _too_many_lines(max_lines)
        cells += len(row)
        if cells > max_cells:
            raise _too_many_cells(max_cells)
        if any("\x00" in value for value in row):
            raise _nul(reader.line_num)
        yield reader.line_num, row


def csv_line(text: str, line: int) -> list[str]:
    """The cells of one line of CSV text (a results file is read line by line, so that a line
    that is not UTF-8 is reported alone)."""
    if "\x00" in text:
        raise _nul(line)
    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        raise UploadRefused(
            _("Line %(line)s of the file cannot be read as CSV (a field too long or broken).")
            % {"line": line}
        ) from None
