"""The administrators' jobs page and its API operation: every job's last run, next run and last
failure with its error, the recent runs; nobody else gets in."""

from datetime import timedelta

import pytest

from liaison.jobs import inline, queue
from liaison.jobs.registry import scheduled
from tests.jobs.conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_job(register):
    def broken(*, due_at):
        raise ValueError("no duty chief on the roster for 2026-03-02")

    register(scheduled("test.broken", every=timedelta(minutes=10)), broken)
    with at(NOW - timedelta(seconds=1)):
        queue.sync_schedules()
    with at(NOW + timedelta(seconds=1)):
        inline.run_due()


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.django_db(transaction=True)
def test_the_page_shows_every_job_with_its_failure(signed_in, administrator, failing_job):
    page = english(signed_in(administrator)).get("/jobs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "contacts.commitment_reminders" in text and "notifications.deliver" in text
    assert "ValueError: no duty chief on the roster for 2026-03-02" in text
    assert "every 10 minutes" in text


@pytest.mark.django_db(transaction=True)
def test_the_api_gives_the_same(signed_in, administrator, failing_job):
    answer = signed_in(administrator).get("/api/v1/jobs", {"job": "test.broken"}).json()
    broken = next(j for j in answer["jobs"] if j["name"] == "test.broken")
    error = broken["last_failure"]["error"]
    assert error == "ValueError: no duty chief on the roster for 2026-03-02"
    assert broken["every_minutes"] == 10 and broken["waiting"] == 1  # queued for its retry
    assert broken["next_run_at"].startswith("2026-03-02T01:10:00")
    assert [(r["job"], r["succeeded"], r["attempts"]) for r in answer["recent_runs"]] == [
        ("test.broken", False, 1)
    ]


def test_an_unknown_job_is_a_400(signed_in, administrator):
    client = signed_in(administrator)
    assert client.get("/jobs/", {"job": "nobody"}).status_code == 400
    answer = client.get("/api/v1/jobs", {"job": "nobody"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "job"


def test_other_roles_are_refused(signed_in, airport_desk_officer):
    client = signed_in(airport_desk_officer)
    assert client.get("/jobs/").status_code == 403
    assert client.get("/api/v1/jobs").status_code == 403


def test_django_q_s_admin_pages_are_not_offered(signed_in, administrator):
    """Its schedule form would run any importable function: schedules come from the code only."""
    from django.contrib import admin
    from django_q.models import Failure, OrmQ, Schedule, Success

    assert not any(admin.site.is_registered(m) for m in (Schedule, Success, Failure, OrmQ))
    client = signed_in(administrator)
    assert client.get("/admin/django_q/schedule/add/").status_code == 404
