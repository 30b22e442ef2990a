"""The missions move from the assistance desk into the directory, cases and notifications with
them: ``directory.0002`` copies, ``assistance.0005`` repoints the foreign keys and drops the old
tables. Run forward on a database holding missions, a case and a notification."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("assistance", "0004_case_event_data"), ("directory", "0001_organizations_people")]
AFTER = [
    ("assistance", "0005_missions_to_directory"),
    ("directory", "0002_missions_from_assistance"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def test_missions_cases_and_notifications_come_through_with_their_ids():
    old = _migrate(BEFORE)
    try:
        Mission = old.get_model("assistance", "Mission")
        User = old.get_model("core", "User")
        officer = User.objects.create(username="liu-assistance", role="assistance")
        # Ids far from 1: the copy keeps them, and new organizations come after them.
        italy = Mission.objects.create(
            pk=41,
            code="IT-CG-CKG",
            kind="consulate_general",
            country="IT",
            name_zh="意大利驻重庆总领事馆",
            name_en="Consulate General of Italy in Chongqing",
            city="Chongqing",
            duty_phone="+86 23 0000 0899",
            languages=["it", "en"],
        )
        korea = Mission.objects.create(
            pk=57,
            code="KR-CG-CTU",
            kind="consulate_general",
            country="KR",
            name_zh="大韩民国驻成都总领事馆",
            name_en="Consulate General of the Republic of Korea in Chengdu",
            city="Chengdu",
            active=False,
        )
        old.get_model("assistance", "MissionCoverage").objects.bulk_create(
            [
                old.get_model("assistance", "MissionCoverage")(mission=italy, region=region)
                for region in ("50", "51")
            ]
        )
        old.get_model("assistance", "MissionContact").objects.create(
            mission=italy,
            name="示例联系人 D / Example Contact D",
            title="Consul (example)",
            languages=["it", "zh"],
            phone="+86 23 0000 0802",
            email="contact-d@it-ckg.example.org",
        )
        old.get_model("assistance", "MissionContact").objects.create(
            mission=korea, name="김민준", title="영사"
        )
        case = old.get_model("assistance", "AssistanceCase").objects.create(
            kind="abroad",
            category="stranded",
            priority="high",
            summary="Stranded in Milan.",
            person_name="王小明",
            nationality="CN",
            location_country="IT",
            requester="family",
            opened_by=officer,
            due_at=timezone.now(),
        )
        case.missions.add(italy, korea)
        notification = old.get_model("assistance", "ConsularNotification").objects.create(
            mission=italy,
            case=case,
            reason="assistance_case",
            person_name="ROSSI Mario",
            nationality="IT",
            language="it",
            subject="Notifica",
            body="Testo.",
        )

        new = _migrate(AFTER)

        Organization = new.get_model("directory", "Organization")
        moved = Organization.objects.get(pk=41)
        assert (moved.code, moved.kind, moved.country, moved.duty_phone, moved.languages) == (
            "IT-CG-CKG",
            "consulate_general",
            "IT",
            "+86 23 0000 0899",
            ["it", "en"],
        )
        assert "意大利" in moved.search_names and "chongqing" in moved.search_names
        assert Organization.objects.get(pk=57).active is False
        districts = new.get_model("directory", "ConsularDistrict").objects
        assert sorted(districts.filter(organization_id=41).values_list("region", flat=True)) == [
            "50",
            "51",
        ]
        people = new.get_model("directory", "Person").objects
        contact = people.get(organization_id=41)
        assert (contact.name_zh, contact.name_latin, contact.title_en, contact.email) == (
            "示例联系人 D",
            "Example Contact D",
            "Consul (example)",
            "contact-d@it-ckg.example.org",
        )
        assert (
            people.get(organization_id=57).name_native,
            people.get(organization_id=57).title_zh,
        ) == ("김민준", "")
        case = new.get_model("assistance", "AssistanceCase").objects.get(pk=case.pk)
        assert sorted(case.missions.values_list("pk", flat=True)) == [41, 57]
        notification = new.get_model("assistance", "ConsularNotification").objects.get(
            pk=notification.pk
        )
        assert notification.mission.code == "IT-CG-CKG"
        # The old tables are gone; the next organization gets a fresh id.
        tables = connection.introspection.table_names()
        assert "assistance_mission" not in tables and "assistance_missioncoverage" not in tables
        fresh = Organization.objects.create(
            code="UA-MOH", kind="ministry", country="UA", name_zh="乌克兰卫生部", name_en="MoH"
        )
        assert fresh.pk > 57
    finally:
        # Back to the latest of every app (going back to BEFORE may have undone others' too).
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
