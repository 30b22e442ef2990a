"""The directory as reference data: ``organizations.csv`` and ``people.csv`` of a city's folder.

Registered with ``liaison.core.reference`` so that ``load_reference`` checks these files with
the city's others and writes them in the same transaction, or nothing. A city without the files
has an empty directory. Loading the same files twice changes nothing.

Organizations are matched by ``code``; a person by their organization and name, so a loaded
person an officer has since corrected is updated in place and one they added is never removed
(people who leave their post get an ``until`` date on the directory's pages, not a deletion).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django_countries import countries

from liaison.core.models import Jurisdiction
from liaison.core.reference import LoadReport, Problem, Row, read_csv
from liaison.directory.history import as_data, differences, record_change, values_of
from liaison.directory.models import (
    MISSION_KINDS,
    Accreditation,
    ChangeKind,
    ConsularDistrict,
    Organization,
    OrganizationKind,
    Person,
)
from liaison.directory.regions import PROVINCES, WHOLE_COUNTRY

ORGANIZATIONS = "organizations.csv"
PEOPLE = "people.csv"
ORGANIZATION_COLUMNS = ["code", "kind", "country", "name_zh", "name_en"]
OPTIONAL_COLUMNS = [
    "parent",
    "name_native",
    "city",
    "address_zh",
    "address_en",
    "phone",
    "duty_phone",
    "email",
    "website",
    "languages",
    "districts",
]
PEOPLE_COLUMNS = ["organization"]
PEOPLE_OPTIONAL = [
    "name_native",
    "name_latin",
    "name_zh",
    "title_zh",
    "title_en",
    "languages",
    "phone",
    "mobile",
    "email",
    "accreditation",
]
MAX_LENGTHS = {
    "code": 40,
    "name_zh": 200,
    "name_en": 200,
    "name_native": 200,
    "name_latin": 200,
    "title_zh": 200,
    "title_en": 200,
    "city": 100,
    "address_zh": 300,
    "address_en": 300,
    "phone": 50,
    "mobile": 50,
    "duty_phone": 50,
    "website": 200,
}
KIND = "organizations"
PEOPLE_KIND = "people"


def _codes(cell: str) -> list[str]:
    return [code for code in cell.replace(";", " ").replace(",", " ").split() if code]


def _problem(problems: list[Problem], row: Row, reason: str) -> None:
    problems.append(Problem(row.file, row.line, reason))


def _values(row: Row, columns: list[str], optional: list[str]) -> dict[str, str]:
    return {column: row.values.get(column) or "" for column in [*columns, *optional]}


def _check_common(row: Row, values: dict[str, str], problems: list[Problem]) -> None:
    for column, value in values.items():
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            _problem(problems, row, f"'{column}' is longer than {limit} characters")
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            _problem(problems, row, f"'{values['email']}' is not an e-mail address")
    if values.get("website"):
        try:
            URLValidator()(values["website"])
        except ValidationError:
            _problem(problems, row, f"'{values['website']}' is not a web address")


def _jurisdiction_codes(directory: Path) -> set[str]:
    scratch: list[Problem] = []  # that file's own problems are reported by the core loader
    rows = read_csv(directory / "jurisdictions.csv", ["code"], scratch)
    return {row.values["code"] for row in rows} | set(
        Jurisdiction.objects.values_list("code", flat=True)
    )


def _check_organization(
    row: Row, values: dict, seen: set[str], jurisdictions: set[str], problems: list[Problem]
) -> None:
    for column in ORGANIZATION_COLUMNS:
        if not values[column]:
            _problem(problems, row, f"'{column}' is empty")
    code = values["code"]
    if code and code in seen:
        _problem(problems, row, f"code '{code}' appears twice")
    kind = values["kind"]
    if kind and kind not in OrganizationKind.values:
        allowed = ", ".join(OrganizationKind.values)
        _problem(problems, row, f"unknown kind '{kind}' (one of: {allowed})")
    if kind in MISSION_KINDS and not values["districts"] and kind != "hk_macao_office":
        _problem(problems, row, "'districts' is empty (a mission serves a consular district)")
    country = values["country"].upper()
    if country and country not in countries:
        _problem(problems, row, f"unknown country code '{country}'")
    for region in _codes(values["districts"]):
        if region != WHOLE_COUNTRY and region not in PROVINCES and region not in jurisdictions:
            _problem(
                problems,
                row,
                f"unknown region '{region}' in districts (a GB/T 2260 province code, a "
                "jurisdiction code or CN)",
            )
    if values["parent"] == code and code:
        _problem(problems, row, "an organization cannot be part of itself")
    _check_common(row, values, problems)


def _check_person(row: Row, values: dict, codes: set[str], problems: list[Problem]) -> None:
    if values["organization"] not in codes:
        _problem(problems, row, f"unknown organization code '{values['organization']}'")
    if not (values["name_native"] or values["name_latin"] or values["name_zh"]):
        _problem(problems, row, "no name (name_native, name_latin or name_zh)")
    if values["accreditation"] not in Accreditation.values:
        _problem(problems, row, f"unknown accreditation '{values['accreditation']}'")
    _check_common(row, values, problems)


def load_directory(directory: Path, report: LoadReport, problems: list[Problem]):
    """Check the directory's files; return the writer that stores them (None without files)."""
    if not (directory / ORGANIZATIONS).exists():
        return None
    rows = read_csv(directory / ORGANIZATIONS, ORGANIZATION_COLUMNS, problems)
    people_rows = []
    if (directory / PEOPLE).exists():
        people_rows = read_csv(directory / PEOPLE, PEOPLE_COLUMNS, problems)
    jurisdictions = _jurisdiction_codes(directory)

    organizations: list[dict] = []
    seen: set[str] = set()
    for row in rows:
        values = _values(row, ORGANIZATION_COLUMNS, OPTIONAL_COLUMNS)
        _check_organization(row, values, seen, jurisdictions, problems)
        seen.add(values["code"])
        organizations.append(values)
    known = seen | set(Organization.objects.values_list("code", flat=True))
    for row, values in zip(rows, organizations, strict=True):
        if values["parent"] and values["parent"] not in known:
            _problem(problems, row, f"unknown parent organization '{values['parent']}'")
    people = []
    for row in people_rows:
        values = _values(row, PEOPLE_COLUMNS, PEOPLE_OPTIONAL)
        _check_person(row, values, known, problems)
        people.append(values)

    def write() -> None:
        written = {values["code"]: _write_organization(values, report) for values in organizations}
        # Parents once every organization exists: a row may name one further down the file.
        for values in organizations:
            parent = written.get(values["parent"]) or (
                Organization.objects.filter(code=values["parent"]).first()
                if values["parent"]
                else None
            )
            organization = written[values["code"]]
            if organization.parent_id != (parent.pk if parent else None):
                change = {
                    "parent": {"before": organization.parent_id, "after": parent and parent.pk}
                }
                organization.parent = parent
                organization.save(update_fields=["parent"])
                _recorded(organization, ChangeKind.UPDATED, change)
        for order, values in enumerate(people):
            _write_person(values, order, report)

    return write


def _from_nothing(fields: dict) -> dict[str, dict]:
    return {
        name: {"before": None, "after": as_data(value)}
        for name, value in fields.items()
        if value not in (None, "", [])
    }


def _recorded(record, kind: str, changes: dict[str, dict]) -> None:
    """The reference data's change in the record's history (``by`` empty: nobody typed it)."""
    if changes:
        record_change(record=record, kind=kind, by=None, changes=changes)


def _write_organization(values: dict[str, str], report: LoadReport) -> Organization:
    fields = {
        "kind": values["kind"],
        "country": values["country"].upper(),
        "name_zh": values["name_zh"],
        "name_en": values["name_en"],
        "name_native": values["name_native"],
        "city": values["city"],
        "address_zh": values["address_zh"],
        "address_en": values["address_en"],
        "phone": values["phone"],
        "duty_phone": values["duty_phone"],
        "email": values["email"],
        "website": values["website"],
        "languages": _codes(values["languages"]),
        "active": True,
    }
    organization = Organization.objects.filter(code=values["code"]).first()
    outcome = "unchanged"
    if organization is None:
        organization = Organization.objects.create(code=values["code"], **fields)
        outcome = "created"
        _recorded(
            organization, ChangeKind.CREATED, _from_nothing({"code": values["code"], **fields})
        )
    else:
        changed = [name for name, value in fields.items() if getattr(organization, name) != value]
        if changed:
            before = values_of(organization, changed)
            for name in changed:
                setattr(organization, name, fields[name])
            organization.save(update_fields=changed)
            outcome = "updated"
            after = values_of(organization, changed)
            _recorded(organization, ChangeKind.UPDATED, differences(before, after))

    wanted = set(_codes(values["districts"]))
    have = set(organization.districts.values_list("region", flat=True))
    if wanted != have:
        organization.districts.exclude(region__in=wanted).delete()
        ConsularDistrict.objects.bulk_create(
            ConsularDistrict(organization=organization, region=region)
            for region in sorted(wanted - have)
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    report.count(KIND, outcome)
    return organization


def _write_person(values: dict[str, str], order: int, report: LoadReport) -> None:
    organization = Organization.objects.get(code=values["organization"])
    fields = {
        "name_native": values["name_native"],
        "name_latin": values["name_latin"],
        "name_zh": values["name_zh"],
        "title_zh": values["title_zh"],
        "title_en": values["title_en"],
        "languages": _codes(values["languages"]),
        "phone": values["phone"],
        "mobile": values["mobile"],
        "email": values["email"],
        "accreditation": values["accreditation"],
    }
    key = {name: fields[name] for name in ("name_native", "name_latin", "name_zh") if fields[name]}
    person = organization.people.filter(**key).order_by("pk").first()
    if person is None:
        person = Person.objects.create(organization=organization, sort_order=order, **fields)
        _recorded(person, ChangeKind.CREATED, _from_nothing(fields))
        report.count(PEOPLE_KIND, "created")
        return
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    if changed:
        before = values_of(person, changed)
        for name in changed:
            setattr(person, name, fields[name])
        person.save(update_fields=changed)
        _recorded(person, ChangeKind.UPDATED, differences(before, values_of(person, changed)))
    report.count(PEOPLE_KIND, "updated" if changed else "unchanged")
