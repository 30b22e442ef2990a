"""Loading a city's reference data (jurisdictions, ports of entry, sites) from its CSV files.

The whole folder is checked before anything is written; one bad row refuses the load with every
problem named by file, line and reason. Loading the same files twice changes nothing.
Other apps register their own files (the screening policy, say) with ``register_loader``.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from liaison.core.models import Jurisdiction, PortOfEntry, Site


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ReferenceDataError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        counter = getattr(self, outcome)
        counter[kind] = counter.get(kind, 0) + 1

    def __str__(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return "; ".join(
            f"{kind}: {self.created.get(kind, 0)} created, {self.updated.get(kind, 0)} updated, "
            f"{self.unchanged.get(kind, 0)} unchanged"
            for kind in kinds
        )


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]


def read_csv(path: Path, required: list[str], problems: list[Problem]) -> list[Row]:
    """The rows of a CSV file, stripped; header and encoding problems go to ``problems``."""
    if not path.exists():
        problems.append(Problem(path.name, 0, "file is missing"))
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(Problem(path.name, 0, f"not UTF-8 text ({error.reason})"))
        return []
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        problems.append(Problem(path.name, 1, f"missing columns: {', '.join(missing)}"))
        return []
    rows = []
    for values in reader:
        line = reader.line_num
        if None in values:
            problems.append(Problem(path.name, line, "more cells than the header has columns"))
            continue
        rows.append(Row(path.name, line, {k: (v or "").strip() for k, v in values.items()}))
    return rows


def _check_row(
    row: Row,
    *,
    required: list[str],
    kinds: type[models.TextChoices],
    seen: set[str],
    jurisdiction_codes: set[str] | None,
    problems: list[Problem],
) -> bool:
    ok = True
    for column in required:
        if not row.values.get(column):
            problems.append(Problem(row.file, row.line, f"'{column}' is empty"))
            ok = False
    code = row.values.get("code", "")
    if code in seen:
        problems.append(Problem(row.file, row.line, f"code '{code}' appears twice"))
        ok = False
    seen.add(code)
    kind = row.values.get("kind", "")
    if kind and kind not in kinds.values:
        allowed = ", ".join(kinds.values)
        problems.append(Problem(row.file, row.line, f"unknown kind '{kind}' (one of: {allowed})"))
        ok = False
    if jurisdiction_codes is not None:
        jurisdiction = row.values.get("jurisdiction", "")
        if jurisdiction and jurisdiction not in jurisdiction_codes:
            problems.append(
                Problem(row.file, row.line, f"unknown jurisdiction code '{jurisdiction}'")
            )
            ok = False
    for column, value in row.values.items():
        max_length = _max_lengths.get(column)
        if max_length and len(value) > max_length:
            problems.append(
                Problem(row.file, row.line, f"'{column}' is longer than {max_length} characters")
            )
            ok = False
    return ok


_max_lengths = {
    "code": 40,
    "name_zh": 200,
    "name_en": 200,
    "address": 300,
    "iata": 3,
    "icao": 4,
    "hotline": 40,
}


# Plain names, not the models' translated labels: the report reads the same in any language.
_REPORT_NAMES = {Jurisdiction: "jurisdictions", PortOfEntry: "ports of entry", Site: "sites"}


def _upsert(model: type[models.Model], code: str, values: dict, report: LoadReport) -> None:
    kind = _REPORT_NAMES[model]
    instance = model.objects.filter(code=code).first()
    if instance is None:
        model.objects.create(code=code, **values)
        report.count(kind, "created")
        return
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if not changed:
        report.count(kind, "unchanged")
        return
    for name in changed:
        setattr(instance, name, values[name])
    instance.save(update_fields=changed)
    report.count(kind, "updated")


Loader = Callable[[Path, LoadReport, list[Problem]], Callable[[], None] | None]
_extra_loaders: list[Loader] = []


def register_loader(loader: Loader) -> None:
    """Add an app's files. A loader checks its files, appends problems, and returns a writer."""
    if loader not in _extra_loaders:
        _extra_loaders.append(loader)


def load(directory: Path) -> LoadReport:
    """Check every file of ``directory``, then write all of it in one transaction, or nothing."""
    problems: list[Problem] = []
    report = LoadReport()

    jurisdiction_rows = read_csv(
        directory / "jurisdictions.csv", ["code", "kind", "name_zh", "name_en"], problems
    )
    port_rows = read_csv(
        directory / "ports.csv",
        ["code", "kind", "name_zh", "name_en", "iata", "icao", "jurisdiction"],
        problems,
    )
    site_rows = read_csv(
        directory / "sites.csv",
        ["code", "kind", "name_zh", "name_en", "jurisdiction", "address", "capacity"],
        problems,
    )

    seen: set[str] = set()
    good_jurisdictions = [
        row
        for row in jurisdiction_rows
        if _check_row(
            row,
            required=["code", "kind", "name_zh", "name_en"],
            kinds=Jurisdiction.Kind,
            seen=seen,
            jurisdiction_codes=None,
            problems=problems,
        )
    ]
    # A site may name a jurisdiction loaded earlier (another file of the same city, kept in the DB).
    known = {row.values["code"] for row in jurisdiction_rows}
    known |= set(Jurisdiction.objects.values_list("code", flat=True))

    for rows, kinds, required in (
        (port_rows, PortOfEntry.Kind, ["code", "kind", "name_zh", "name_en", "jurisdiction"]),
        (site_rows, Site.Kind, ["code", "kind", "name_zh", "name_en", "jurisdiction"]),
    ):
        seen = set()
        for row in rows:
            _check_row(
                row,
                required=required,
                kinds=kinds,
                seen=seen,
                jurisdiction_codes=known,
                problems=problems,
            )
    for row in site_rows:
        capacity = row.values.get("capacity", "")
        if capacity and not (capacity.isdigit() and int(capacity) < 1_000_000):
            problems.append(Problem(row.file, row.line, f"capacity '{capacity}' is not a count"))

    writers = [loader(directory, report, problems) for loader in _extra_loaders]
    if problems:
        raise ReferenceDataError(problems)

    with transaction.atomic():
        for order, row in enumerate(good_jurisdictions):
            values = row.values
            _upsert(
                Jurisdiction,
                values["code"],
                {
                    "kind": values["kind"],
                    "name_zh": values["name_zh"],
                    "name_en": values["name_en"],
                    "sort_order": order,
                    "active": True,
                    # An optional column: a city without hotlines loads as before.
                    "hotline": values.get("hotline", ""),
                },
                report,
            )
        jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        for row in port_rows:
            values = row.values
            _upsert(
                PortOfEntry,
                values["code"],
                {
                    "kind": values["kind"],
                    "name_zh": values["name_zh"],
                    "name_en": values["name_en"],
                    "iata": values["iata"],
                    "icao": values["icao"],
                    "jurisdiction": jurisdictions[values["jurisdiction"]],
                },
                report,
            )
        for row in site_rows:
            values = row.values
            _upsert(
                Site,
                values["code"],
                {
                    "kind": values["kind"],
                    "name_zh": values["name_zh"],
                    "name_en": values["name_en"],
                    "jurisdiction": jurisdictions[values["jurisdiction"]],
                    "address": values["address"],
                    "capacity": int(values["capacity"]) if values["capacity"] else None,
                    "active": True,
                    "hotline": values.get("hotline", ""),
                },
                report,
            )
        for write in writers:
            if write is not None:
                write()
    return report
