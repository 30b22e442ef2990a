"""The foreign-mission directory as reference data: ``missions.csv`` and ``missions-contacts.csv``.

Registered with ``liaison.core.reference`` so that ``load_reference`` checks these files with
the city's others and writes them in the same transaction, or nothing. A city without the files
has an empty directory. Loading the same files twice changes nothing.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django_countries import countries

from liaison.assistance.models import Mission, MissionContact, MissionCoverage
from liaison.assistance.regions import PROVINCES, WHOLE_COUNTRY
from liaison.core.models import Jurisdiction
from liaison.core.reference import LoadReport, Problem, Row, read_csv

MISSION_COLUMNS = [
    "code",
    "kind",
    "country",
    "name_zh",
    "name_en",
    "city",
    "address_zh",
    "address_en",
    "phone",
    "duty_phone",
    "email",
    "languages",
    "coverage",
]
REQUIRED = ["code", "kind", "country", "name_zh", "name_en", "city", "coverage"]
CONTACT_COLUMNS = ["mission", "name", "title", "languages", "phone", "email"]
MAX_LENGTHS = {
    "code": 40,
    "name_zh": 200,
    "name_en": 200,
    "city": 100,
    "address_zh": 300,
    "address_en": 300,
    "phone": 50,
    "duty_phone": 50,
    "name": 200,
    "title": 200,
}
KIND = "foreign missions"


def _codes(cell: str) -> list[str]:
    return [code for code in cell.replace(";", " ").replace(",", " ").split() if code]


def _problem(problems: list[Problem], row: Row, reason: str) -> None:
    problems.append(Problem(row.file, row.line, reason))


def _check_common(row: Row, problems: list[Problem]) -> None:
    for column, value in row.values.items():
        limit = MAX_LENGTHS.get(column)
        if limit and len(value) > limit:
            _problem(problems, row, f"'{column}' is longer than {limit} characters")
    email = row.values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _problem(problems, row, f"'{email}' is not an e-mail address")


def _jurisdiction_codes(directory: Path) -> set[str]:
    scratch: list[Problem] = []  # that file's own problems are reported by the core loader
    rows = read_csv(directory / "jurisdictions.csv", ["code"], scratch)
    return {row.values["code"] for row in rows} | set(
        Jurisdiction.objects.values_list("code", flat=True)
    )


def load_missions(directory: Path, report: LoadReport, problems: list[Problem]):
    """Check the directory's files; return the writer that stores them (None without files)."""
    if not (directory / "missions.csv").exists():
        return None
    mission_rows = read_csv(directory / "missions.csv", MISSION_COLUMNS, problems)
    contact_rows = []
    if (directory / "missions-contacts.csv").exists():
        contact_rows = read_csv(directory / "missions-contacts.csv", CONTACT_COLUMNS, problems)
    jurisdictions = _jurisdiction_codes(directory)

    seen: set[str] = set()
    for row in mission_rows:
        values = row.values
        for column in REQUIRED:
            if not values.get(column):
                _problem(problems, row, f"'{column}' is empty")
        code = values.get("code", "")
        if code and code in seen:
            _problem(problems, row, f"code '{code}' appears twice")
        seen.add(code)
        kind = values.get("kind", "")
        if kind and kind not in Mission.Kind.values:
            allowed = ", ".join(Mission.Kind.values)
            _problem(problems, row, f"unknown kind '{kind}' (one of: {allowed})")
        country = values.get("country", "").upper()
        if country and country not in countries:
            _problem(problems, row, f"unknown country code '{country}'")
        for region in _codes(values.get("coverage", "")):
            if region != WHOLE_COUNTRY and region not in PROVINCES and region not in jurisdictions:
                _problem(
                    problems,
                    row,
                    f"unknown region '{region}' in coverage (a GB/T 2260 province code, a "
                    "jurisdiction code or CN)",
                )
        _check_common(row, problems)
    for row in contact_rows:
        if row.values.get("mission") not in seen:
            _problem(problems, row, f"unknown mission code '{row.values.get('mission')}'")
        if not row.values.get("name"):
            _problem(problems, row, "'name' is empty")
        _check_common(row, problems)

    def write() -> None:
        for row in mission_rows:
            contacts = [
                (
                    c.values["name"],
                    c.values["title"],
                    _codes(c.values["languages"]),
                    c.values["phone"],
                    c.values["email"],
                )
                for c in contact_rows
                if c.values["mission"] == row.values["code"]
            ]
            _write_mission(row.values, contacts, report)

    return write


def _write_mission(values: dict[str, str], contacts: list[tuple], report: LoadReport) -> None:
    fields = {
        "kind": values["kind"],
        "country": values["country"].upper(),
        "name_zh": values["name_zh"],
        "name_en": values["name_en"],
        "city": values["city"],
        "address_zh": values["address_zh"],
        "address_en": values["address_en"],
        "phone": values["phone"],
        "duty_phone": values["duty_phone"],
        "email": values["email"],
        "languages": _codes(values["languages"]),
        "active": True,
    }
    mission = Mission.objects.filter(code=values["code"]).first()
    outcome = "unchanged"
    if mission is None:
        mission = Mission.objects.create(code=values["code"], **fields)
        outcome = "created"
    else:
        changed = [name for name, value in fields.items() if getattr(mission, name) != value]
        if changed:
            for name in changed:
                setattr(mission, name, fields[name])
            mission.save(update_fields=changed)
            outcome = "updated"

    wanted = set(_codes(values["coverage"]))
    have = set(mission.coverage.values_list("region", flat=True))
    if wanted != have:
        mission.coverage.exclude(region__in=wanted).delete()
        MissionCoverage.objects.bulk_create(
            MissionCoverage(mission=mission, region=region) for region in sorted(wanted - have)
        )
        outcome = "updated" if outcome == "unchanged" else outcome

    have_contacts = [
        (c.name, c.title, c.languages, c.phone, c.email) for c in mission.contacts.all()
    ]
    if have_contacts != contacts:
        mission.contacts.all().delete()
        MissionContact.objects.bulk_create(
            MissionContact(
                mission=mission,
                name=name,
                title=title,
                languages=languages,
                phone=phone,
                email=email,
                sort_order=order,
            )
            for order, (name, title, languages, phone, email) in enumerate(contacts)
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    report.count(KIND, outcome)
