"""The iCalendar feed: parsed back with the icalendar library, its events and UIDs, its times in
UTC, commitments as all-day events; the token's whole life (one active, revoked, guessed, an
officer deactivated or moved off the calendar's roles); one audit entry per fetch."""

from datetime import UTC, date, timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from liaison.agenda import services
from liaison.agenda.models import FeedToken
from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from liaison.core.roles import Role
from tests.agenda.conftest import at
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


def issue(user, *, mine=True, language="en") -> str:
    with audit.acting_as(user):
        return services.issue_feed_token(user=user, language=language, mine=mine)[1]


def fetch(secret: str):
    return Client().get(f"/calendar/feed/{secret}.ics")


def events(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(e["UID"]): {
            "summary": str(e["SUMMARY"]),
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND") if "DTEND" in e else None,
            "url": str(e["URL"]),
            "description": str(e.get("DESCRIPTION", "")),
        }
        for e in calendar.walk("VEVENT")
    }


def test_the_feed_carries_contacts_conferences_and_commitments_due(
    planned_visit, next_conference, korea_call, director_general, other_liaison_officer
):
    secret = issue(director_general, mine=False)
    response = fetch(secret)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    found = events(response)
    visit = found[f"contact-{planned_visit.pk}@testserver"]
    # 10:00–11:00 in Chongqing (UTC+8), in UTC.
    assert visit["start"] == at(2, 10).astimezone(UTC)
    assert visit["end"] == at(2, 11).astimezone(UTC)
    # Written in UTC ("Z"), not in a zone a calendar application would have to know.
    start_utc = at(2, 10).astimezone(UTC)
    assert f"DTSTART:{start_utc:%Y%m%dT%H%M%S}Z" in response.content.decode()
    assert visit["summary"] == "Visit: Consulate General of the Republic of Korea in Chengdu"
    assert visit["url"] == f"http://testserver/contacts/{planned_visit.pk}/"
    conference = found[f"conference-{next_conference.pk}@testserver"]
    # 15:00 in Chongqing is 07:00 UTC.
    assert conference["start"] == at(1, 15) and conference["start"].utcoffset() == timedelta(0)
    assert (conference["start"].hour, conference["end"].hour) == (7, 10)
    assert "Ukraine (Europe/Kyiv) 09:00–12:00" in conference["description"]
    assert conference["url"] == f"http://testserver/exchanges/{next_conference.pk}/"
    # Commitments due: all-day events on their due date, whoever owns them (the desk's feed).
    due = {v["summary"]: (v["start"], v["end"]) for k, v in found.items() if "commitment" in k}
    assert due["Due: Send the list of Korean nationals in quarantine"] == (
        in_days(3),
        in_days(4),
    )
    assert len(due) == 4 and all(type(start) is date for start, _end in due.values())
    # The March 2020 call is older than the feed reaches back (three months).
    assert f"contact-{korea_call.pk}@testserver" not in found


def test_uids_are_stable_and_nothing_of_anyones_phone_or_email_is_in_it(
    planned_visit, korea_call, director_general, consul_general
):
    secret = issue(director_general, mine=False)
    first, second = fetch(secret), fetch(secret)
    assert set(events(first)) == set(events(second))
    text = first.content.decode()
    assert consul_general.phone not in text and consul_general.email not in text
    assert consul_general.name_latin not in text


def test_the_feed_is_in_the_language_it_was_made_in(planned_visit, liaison_officer, korea_call):
    found = events(fetch(issue(liaison_officer, language="zh-hans")))
    summaries = sorted(v["summary"] for v in found.values())
    assert "到期：Send the list of Korean nationals in quarantine" in summaries
    assert "拜会：大韩民国驻成都总领事馆" not in summaries  # not hers: a mine-only feed
    found = events(fetch(issue(liaison_officer, language="zh-hans", mine=False)))
    assert "拜会：大韩民国驻成都总领事馆" in {v["summary"] for v in found.values()}


def test_an_overdue_commitment_says_so(korea_call, liaison_officer):
    from liaison.contacts.models import Commitment

    mine = korea_call.commitments.get(owner_user=liaison_officer)
    Commitment.objects.filter(pk=mine.pk).update(due_on=in_days(-2))
    (event,) = events(fetch(issue(liaison_officer))).values()
    assert event["summary"] == "Overdue: Send the list of Korean nationals in quarantine"
    assert event["start"] == in_days(-2)


def test_each_fetch_is_one_read_by_the_officer(planned_visit, korea_call, director_general):
    secret = issue(director_general, mine=False)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    fetch(secret)
    (entry,) = AuditEntry.objects.filter(pk__gt=last)
    assert (entry.action, entry.actor_id, entry.object_type) == (
        "read",
        director_general.pk,
        "agenda.calendar",
    )
    assert f"contacts.contact:{planned_visit.pk}" in entry.object_ids
    assert len([i for i in entry.object_ids if i.startswith("contacts.commitment:")]) == 4
    assert secret not in entry.path
    token = FeedToken.objects.get(user=director_general)
    assert token.last_used_at is not None


def test_a_new_token_revokes_the_old_one(director_general):
    old = issue(director_general)
    new = issue(director_general)
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert FeedToken.objects.active().filter(user=director_general).count() == 1
    assert FeedToken.objects.filter(user=director_general).count() == 2


def test_a_revoked_token_is_a_404_and_changes_nothing(director_general):
    secret = issue(director_general)
    with audit.acting_as(director_general):
        services.revoke_feed_token(user=director_general)
    before = AuditEntry.objects.count()
    response = fetch(secret)
    assert response.status_code == 404
    assert secret.encode() not in response.content and "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.count() == before
    assert FeedToken.objects.get(user=director_general).last_used_at is None
    with pytest.raises(Conflict):
        services.revoke_feed_token(user=director_general)


def test_a_guessed_malformed_or_oversized_token_is_a_404(director_general):
    secret = issue(director_general)
    lookup_kept = secret[:16] + ("A" if secret[16] != "A" else "B") + secret[17:]
    before = AuditEntry.objects.count()
    for guess in (
        lookup_kept,  # the right lookup, a wrong secret
        "cal_" + "0" * 12 + "x" * 43,
        "cal_short",
        "lia_" + secret[4:],
        secret + "x",
        "cal_" + "a" * 2000,
    ):
        assert fetch(guess).status_code == 404, guess
    assert fetch("%00").status_code == 400  # a NUL: refused before any view
    assert AuditEntry.objects.count() == before
    assert FeedToken.objects.get(user=director_general).last_used_at is None


def test_a_deactivated_officer_or_one_moved_off_the_calendar_has_no_feed(
    liaison_officer, director_general
):
    secret = issue(liaison_officer)
    liaison_officer.is_active = False
    with audit.acting_as(username="test"):
        liaison_officer.save()
    assert fetch(secret).status_code == 404
    secret = issue(director_general)
    director_general.role = Role.AIRPORT_DESK
    with audit.acting_as(username="test"):
        director_general.save()
    assert fetch(secret).status_code == 404


def test_only_officers_with_a_calendar_may_have_a_feed(airport_officer):
    with pytest.raises(Refused):
        services.issue_feed_token(user=airport_officer, language="en")
    assert not FeedToken.objects.exists()


def test_only_the_digest_is_stored(director_general):
    secret = issue(director_general)
    token = FeedToken.objects.get(user=director_general)
    assert secret not in (token.digest, token.lookup) and len(token.digest) == 64
    assert token.digest == FeedToken.digest_of(secret)
