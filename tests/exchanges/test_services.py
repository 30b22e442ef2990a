"""The exchanges desk's services: a plan's rules, the Q&A, materials by content, the lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.contacts.models import Commitment
from liaison.core import audit
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import Person
from liaison.exchanges import follow_ups, services, time_zones
from liaison.exchanges.models import Conference, ConferenceEvent, Material, Question
from liaison.exchanges.services import ParticipantInput
from tests.exchanges.conftest import (
    PNG_BYTES,
    STARTS,
    march_24_plan,
    pdf_upload,
    pptx_upload,
    record_the_questions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _acting(exchange_officer):
    with audit.acting_as(exchange_officer):
        yield


def test_the_plan_holds_both_sides_and_each_sides_time(conference, directory):
    assert conference.arranged_by == directory["orgs"]["mfa"]
    sides = list(conference.participants.values_list("side", flat=True))
    assert sides.count("ours") == 13 and sides.count("theirs") == 4
    experts = conference.participants.filter(role="expert").count()
    assert experts == 8
    times = {t.zone: t for t in time_zones.local_times(conference)}
    # 15:00 in Chongqing is 09:00 in Kyiv (UTC+2 in March) and 11:00 in Yerevan (UTC+4).
    assert times["Asia/Shanghai"].starts.hour == 15
    assert times["Europe/Kyiv"].starts.hour == 9
    assert times["Asia/Yerevan"].starts.hour == 11
    # The participants' organizations are the conference's.
    assert set(conference.organizations.values_list("code", flat=True)) >= {"UA-MOH", "AM-MOH"}
    assert conference.events.get().type == ConferenceEvent.Type.PLANNED


def test_a_ukrainian_conference_is_in_kyiv_time_not_crimeas():
    assert time_zones.principal_zone("UA") == "Europe/Kyiv"
    assert time_zones.principal_zone("AM") == "Asia/Yerevan"


def test_an_end_before_the_start_is_refused_and_nothing_is_written(directory, exchange_officer):
    with pytest.raises(Refused) as refused:
        services.plan_conference(
            plan=march_24_plan(directory, ends_at=STARTS - timedelta(hours=1)), by=exchange_officer
        )
    assert refused.value.field == "ends_at" and refused.value.status == 400
    assert not Conference.objects.exists()


def test_a_participant_of_an_unknown_organization_is_refused(directory, exchange_officer):
    typed = ParticipantInput(side="theirs", role="expert", organization_id=987654, name_latin="X")
    plan = march_24_plan(directory, participants=(typed,))
    people_before = Person.objects.count()
    with pytest.raises(Refused, match="No organization 987654"):
        services.plan_conference(plan=plan, by=exchange_officer)
    assert not Conference.objects.exists() and Person.objects.count() == people_before


def test_a_name_typed_becomes_a_person_of_the_directory(directory, exchange_officer):
    interpreter = ParticipantInput(
        side="theirs",
        role="interpreter",
        organization_id=directory["orgs"]["am_health"].pk,
        name_native="Նարե Պետրոսյան",
        name_latin="Nare Petrosyan",
    )
    plan = march_24_plan(directory)
    plan = march_24_plan(directory, participants=(*plan.participants, interpreter))
    conference = services.plan_conference(plan=plan, by=exchange_officer)
    person = Person.objects.get(name_latin="Nare Petrosyan")
    assert person.organization.code == "AM-MOH"
    assert conference.participants.filter(person=person, role="interpreter").exists()


def test_a_counterpart_cannot_sit_on_our_side(directory, exchange_officer):
    wrong = ParticipantInput(
        side="ours", role="official", person_id=directory["people"]["health_minister"].pk
    )
    with pytest.raises(Refused, match="cannot sit on Our side"):
        services.plan_conference(
            plan=march_24_plan(directory, participants=(wrong,)), by=exchange_officer
        )


def test_a_revision_records_what_changed(conference, directory, exchange_officer):
    plan = march_24_plan(directory, platform="zoom", countries=())
    services.revise_conference(conference=conference, plan=plan, by=exchange_officer)
    conference.refresh_from_db()
    assert conference.platform == "zoom" and not conference.countries.exists()
    revision = conference.events.get(type=ConferenceEvent.Type.REVISED)
    assert set(revision.params["fields"]) == {"platform", "countries"}


def test_a_question_is_asked_by_a_participant(conference, directory, exchange_officer):
    record_the_questions(conference, directory, exchange_officer)
    assert conference.questions.count() == 2
    outsider = directory["people"]["deputy_ua"]
    services.revise_conference(
        conference=conference,
        plan=march_24_plan(
            directory,
            participants=tuple(
                p for p in march_24_plan(directory).participants if p.person_id != outsider.pk
            ),
        ),
        by=exchange_officer,
    )
    with pytest.raises(Refused) as refused:
        services.record_question(
            conference=conference, asked_by_id=outsider.pk, question_en="?", by=exchange_officer
        )
    assert refused.value.field == "asked_by"
    assert conference.questions.count() == 2


def _share(conference, upload, by, **changes):
    values = {"title": "Treatment plan", "language": "en", "visibility": "counterparts"}
    values.update(changes)
    return services.share_material(conference=conference, upload=upload, by=by, **values)


def test_materials_are_kept_with_language_version_and_visibility(conference, exchange_officer):
    first = _share(conference, pdf_upload(), exchange_officer)
    second = _share(conference, pdf_upload(), exchange_officer, version=2)
    slides = _share(conference, pptx_upload(), exchange_officer, title="Practice", language="ru")
    assert (first.version, second.version) == (1, 2)
    assert slides.content_type.endswith("presentationml.presentation")
    with pytest.raises(Conflict):
        _share(conference, pdf_upload(), exchange_officer, version=2)


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("plan.pdf", PNG_BYTES),  # a PNG named .pdf
        SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 60),  # a program named .pdf
        SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 60),
        SimpleUploadedFile("slides.pptx", b"PK\x03\x04not really a zip"),
    ],
    ids=["png-as-pdf", "exe-as-pdf", "exe", "broken-pptx"],
)
def test_a_material_that_is_not_what_its_name_says_is_refused(conference, exchange_officer, upload):
    with pytest.raises(Refused) as refused:
        _share(conference, upload, exchange_officer)
    assert refused.value.field == "file" and refused.value.status == 400
    assert not Material.objects.exists()
    assert not conference.events.filter(type=ConferenceEvent.Type.MATERIAL).exists()


def test_an_oversized_material_is_refused(conference, exchange_officer, settings):
    settings.LIAISON_EXCHANGES_MATERIAL_MAX_BYTES = 40
    with pytest.raises(Refused, match="at most"):
        _share(conference, pdf_upload(), exchange_officer)
    assert not Material.objects.exists()


def test_finalized_minutes_refuse_every_change(conference, directory, exchange_officer):
    record_the_questions(conference, directory, exchange_officer)
    services.finalize_minutes(conference=conference, by=exchange_officer)
    writes = [
        lambda: services.revise_conference(
            conference=conference,
            plan=march_24_plan(directory, platform="zoom"),
            by=exchange_officer,
        ),
        lambda: services.record_question(
            conference=conference,
            asked_by_id=directory["people"]["deputy_am"].pk,
            question_en="One more?",
            by=exchange_officer,
        ),
        lambda: _share(conference, pdf_upload(), exchange_officer),
        lambda: services.finalize_minutes(conference=conference, by=exchange_officer),
        lambda: follow_ups.record(
            conference=conference,
            side="ours",
            description="Send the treatment plan in Russian",
            due_on=timezone.localdate() + timedelta(days=3),
            owner_user_id=exchange_officer.pk,
            by=exchange_officer,
        ),
    ]
    for write in writes:
        with pytest.raises(Conflict, match="finalized"):
            write()
    conference.refresh_from_db()
    assert conference.platform == "ministry" and conference.is_final
    assert Question.objects.count() == 2 and not Material.objects.exists()
    assert conference.events.filter(type=ConferenceEvent.Type.FINALIZED).count() == 1


def test_minutes_are_finalized_only_after_the_conference(directory, exchange_officer):
    later = timezone.now() + timedelta(days=2)
    upcoming = services.plan_conference(
        plan=march_24_plan(directory, starts_at=later, ends_at=later + timedelta(hours=2)),
        by=exchange_officer,
    )
    with pytest.raises(Conflict, match="after the conference"):
        services.finalize_minutes(conference=upcoming, by=exchange_officer)
    upcoming.refresh_from_db()
    assert not upcoming.is_final


def test_a_follow_up_is_a_commitment_in_the_ledger(conference, directory, exchange_officer):
    due = timezone.localdate() + timedelta(days=7)
    ours = follow_ups.record(
        conference=conference,
        side="ours",
        description="Send the treatment plans in Russian",
        due_on=due,
        owner_user_id=exchange_officer.pk,
        by=exchange_officer,
    )
    theirs = follow_ups.record(
        conference=conference,
        side="theirs",
        description="Share Ukraine's case data",
        due_on=due,
        owner_person_id=directory["people"]["health_minister"].pk,
        by=exchange_officer,
    )
    made_here = Commitment.objects.filter(
        source_kind="exchanges.conference", source_id=conference.pk
    )
    assert set(made_here) == {ours, theirs}
    assert [c.pk for c in follow_ups.of_conference(conference)] == [ours.pk, theirs.pk]
    assert conference.events.filter(type=ConferenceEvent.Type.FOLLOW_UP).count() == 2
