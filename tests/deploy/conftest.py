"""A deployment for one test: app servers on the test's database, the staff who use them, the
travelers a laboratory's file reports on, and the counts that say every guarantee held."""

from __future__ import annotations

import contextlib
import secrets
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db.models import Count
from django.utils import timezone

from liaison.arrivals import services
from liaison.arrivals.models import (
    Arrival,
    ArrivalEvent,
    DeclarationRevision,
    Flight,
    IdempotencyRecord,
    Source,
)
from liaison.arrivals.states import ArrivalState
from liaison.core import audit
from liaison.core.models import AuditEntry, PortOfEntry, Site
from liaison.core.roles import Role
from liaison.policy.engine import Facts, facts_to_record
from liaison.screening import desk
from liaison.screening.models import Disposition, LabResult, ResultsImport, Sample
from tests.arrivals.conftest import valid_payload
from tests.conftest import PASSWORD, make_user
from tests.deploy.servers import Server, collect_static, production_env


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """The static files, collected once per test process (a few seconds)."""
    root = tmp_path_factory.mktemp("deploy") / "static"
    collect_static(root)
    return root


class Deployment:
    """The app servers of one test, all on its database, stopped (SIGKILL) at its end."""

    def __init__(self, tmp_path: Path, static_root: Path):
        self.env = production_env(tmp_path / "var", static_root=static_root)
        self.tmp = tmp_path
        self.servers: list[Server] = []

    def spawn(self, *names: str, workers: int = 2) -> list[Server]:
        """The servers named, started side by side, not waited for (``wait``)."""
        servers = [Server(n, self.env, self.tmp / f"{n}.log", workers=workers) for n in names]
        self.servers.extend(servers)
        return [server.spawn() for server in servers]

    @staticmethod
    def wait(servers: list[Server]) -> list[Server]:
        return [server.wait() for server in servers]

    def start(self, *names: str, workers: int = 2) -> list[Server]:
        return self.wait(self.spawn(*names, workers=workers))

    def logs(self) -> str:
        return "\n".join(f"--- {s.name}\n{s.tail()}" for s in self.servers)

    def stop(self) -> None:
        for server in self.servers:
            with contextlib.suppress(Exception):
                server.kill()


@pytest.fixture
def deployment(tmp_path, static_root):
    started = Deployment(tmp_path, static_root)
    yield started
    started.stop()


def staff(username: str, role: Role):
    """A staff member who signs in on the production servers: their password hashed with the
    production hasher (the tests' own settings hash with MD5, which production does not read)."""
    user = make_user(username, role)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8))
    user.save(update_fields=["password"])
    return user


def sampled_travelers(count: int, *, prefix: str) -> list[Sample]:
    """``count`` travelers waiting for their result, each with one tube (``prefix``-numbered),
    written in bulk as bench/lab_results.py does: the test is about the file, not about them."""
    port = PortOfEntry.objects.order_by("code").first()
    site = Site.objects.get(code="SAMP-CKG-T3")
    sampler = make_user(f"{prefix.lower()}-sampler", Role.SAMPLING, site=site)
    today, now = timezone.localdate(), timezone.now()
    flight = Flight.objects.create(number=f"{prefix} 0001", date=today, port=port)
    facts = facts_to_record(
        Facts(
            arrival_date=today,
            history=[{"country": "KR", "date_from": today - timedelta(days=10), "date_to": today}],
            temperatures=(36.5,),
            age=35,
            destination_jurisdiction="500112",
        )
    )
    arrivals = Arrival.objects.bulk_create(
        Arrival(
            state=ArrivalState.SAMPLED,
            code=f"{prefix}{n:06d}",
            status_token=f"{prefix}-{n}-{secrets.token_hex(8)}",
            surname_latin="TRAVELER",
            given_names_latin=str(n),
            sex="X",
            date_of_birth=today.replace(year=today.year - 35),
            nationality="KR",
            document_type="passport",
            document_number=f"{prefix}{n:07d}",
            phone="+8613800000000",
            language="en",
            flight=flight,
            arrival_date=today,
            category="tourist",
            destination_kind="city",
            consented_at=now,
            source="api",
            facts=facts,
        )
        for n in range(count)
    )
    return Sample.objects.bulk_create(
        Sample(
            arrival=a,
            barcode=f"{prefix}{n:08d}",
            site=site,
            collector=sampler,
            collected_at=now - timedelta(hours=2),
        )
        for n, a in enumerate(arrivals)
    )


def results_file(samples: list[Sample]) -> bytes:
    """A laboratory's CSV: mostly negative, a few positive, one inconclusive in fifty."""
    tested = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    values = ["negative"] * 46 + ["positive"] * 3 + ["inconclusive"]
    lines = ["barcode,result,tested_at"] + [
        f"{s.barcode},{values[n % len(values)]},{tested}" for n, s in enumerate(samples)
    ]
    return ("\n".join(lines) + "\n").encode()


def ready_to_screen(count: int, officer) -> list[Arrival]:
    """Declared travelers with a temperature and a checked history: one click from screened."""
    found = []
    for n in range(count):
        with audit.acting_as(username="test"):
            arrival = services.declare(
                data=valid_payload(document_number=f"R{n:08d}"), source=Source.SELF
            ).arrival
        desk.record_temperature(arrival=arrival, celsius="36.6", device="IR-3", officer=officer)
        desk.confirm_history(arrival=arrival, history=None, officer=officer)
        found.append(arrival)
    return found


def declaration_body(document: str) -> dict:
    return valid_payload(document_number=document)


def assert_declarations_stored_once(acknowledged: dict[str, str], documents: list[str]) -> None:
    """Every acknowledged declaration is stored once, whole: its arrival (one per traveler), its
    first version, its first event, its audit entry and its idempotency record; and nothing was
    stored that was not asked for."""
    arrivals = Arrival.objects.filter(document_number__in=documents)
    per_document = Counter(arrivals.values_list("document_number", flat=True))
    assert set(per_document) == set(documents), set(documents) - set(per_document)
    assert set(per_document.values()) == {1}, [d for d, n in per_document.items() if n > 1]
    codes = dict(arrivals.values_list("document_number", "code"))
    # What each client was told is what is stored (a retry's replay has the first code).
    assert {doc: codes[doc] for doc in acknowledged} == acknowledged
    ids = list(arrivals.values_list("pk", flat=True))
    revisions = Counter(
        DeclarationRevision.objects.filter(arrival_id__in=ids).values_list("arrival_id", flat=True)
    )
    assert len(revisions) == len(ids) and set(revisions.values()) == {1}
    first_events = Counter(
        ArrivalEvent.objects.filter(arrival_id__in=ids, from_state="").values_list(
            "arrival_id", flat=True
        )
    )
    assert len(first_events) == len(ids) and set(first_events.values()) == {1}
    created = AuditEntry.objects.filter(
        action=AuditEntry.Action.CREATE,
        object_type="arrivals.arrival",
        object_id__in=[str(pk) for pk in ids],
    )
    assert created.values("object_id").distinct().count() == len(ids)
    keys = IdempotencyRecord.objects.filter(arrival_id__in=ids)
    assert keys.count() == len(ids) == keys.values("arrival_id").distinct().count()


def assert_results_stored_once(samples: list[Sample], batch_ids: set[int]) -> None:
    """Every row of the file is one result, in one saved file record, and each traveler moved
    once per step: one event into "result", one into "disposition decided" when decided, one
    current decision."""
    ids = [s.arrival_id for s in samples]
    results = LabResult.objects.filter(sample__in=samples)
    assert results.count() == len(samples)
    assert set(results.values_list("batch_id", flat=True)) == batch_ids
    (batch_id,) = batch_ids
    saved = ResultsImport.objects.get(pk=batch_id)
    assert (saved.status, saved.saved, saved.bad) == ("saved", len(samples), 0)
    into_result = Counter(
        ArrivalEvent.objects.filter(arrival_id__in=ids, to_state=ArrivalState.RESULT).values_list(
            "arrival_id", flat=True
        )
    )
    assert len(into_result) == len(ids) and set(into_result.values()) == {1}
    decided = dict(
        Arrival.objects.filter(pk__in=ids, state=ArrivalState.DISPOSED).values_list("pk", "state")
    )
    into_disposed = Counter(
        ArrivalEvent.objects.filter(arrival_id__in=ids, to_state=ArrivalState.DISPOSED).values_list(
            "arrival_id", flat=True
        )
    )
    assert set(into_disposed) == set(decided) and set(into_disposed.values()) <= {1}
    current = (
        Disposition.objects.filter(arrival_id__in=ids, is_current=True)
        .values("arrival_id")
        .annotate(n=Count("id"))
    )
    assert {row["arrival_id"] for row in current} == set(decided)
    assert {row["n"] for row in current} <= {1}
    waiting = Arrival.objects.filter(pk__in=ids).exclude(
        state__in=[ArrivalState.RESULT, ArrivalState.DISPOSED]
    )
    assert not waiting.exists(), list(waiting.values_list("code", "state")[:5])
