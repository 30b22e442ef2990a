"""The foreign-mission directory of the assistance desk moves here, keeping its primary keys.

``assistance.Mission`` rows become ``Organization`` rows with the same ids (so the assistance
migration that follows only repoints its foreign keys), ``MissionCoverage`` becomes
``ConsularDistrict`` and ``MissionContact`` becomes ``Person``. Depends on assistance 0003, the
latest assistance migration when this was written; assistance 0005 then drops the old tables.
Going back copies nothing back: it works on an empty directory (the migration test); with
missions in it, assistance 0005 refuses to go back at its foreign keys, so nothing is lost.
"""

import unicodedata

from django.core.management.color import no_style
from django.db import migrations, models

from liaison.directory.search import fold


def _has_han(text: str) -> bool:
    return any("CJK" in unicodedata.name(char, "") for char in text)


def _is_latin(text: str) -> bool:
    return all(ord(char) < 0x0250 for char in text)


def _names(name: str) -> dict[str, str]:
    """A contact's one name field, into the person's three: "示例联系人 A / Example Contact A"."""
    parts = [part.strip() for part in name.split(" / ") if part.strip()]
    names = {"name_native": "", "name_latin": "", "name_zh": ""}
    for part in parts or [name.strip() or "?"]:
        if _is_latin(part) and not names["name_latin"]:
            names["name_latin"] = part
        elif _has_han(part) and not names["name_zh"] and len(parts) > 1:
            names["name_zh"] = part
        elif not names["name_native"]:
            names["name_native"] = part
    return names


def copy_missions(apps, schema_editor):
    Mission = apps.get_model("assistance", "Mission")
    MissionCoverage = apps.get_model("assistance", "MissionCoverage")
    MissionContact = apps.get_model("assistance", "MissionContact")
    Organization = apps.get_model("directory", "Organization")
    ConsularDistrict = apps.get_model("directory", "ConsularDistrict")
    Person = apps.get_model("directory", "Person")
    db = schema_editor.connection.alias

    Organization.objects.using(db).bulk_create(
        Organization(
            pk=m.pk,
            code=m.code,
            kind=m.kind,
            country=m.country,
            name_zh=m.name_zh,
            name_en=m.name_en,
            city=m.city,
            address_zh=m.address_zh,
            address_en=m.address_en,
            phone=m.phone,
            duty_phone=m.duty_phone,
            email=m.email,
            languages=m.languages,
            notes=m.notes,
            active=m.active,
            search_names=fold(" ".join([m.code, m.name_zh, m.name_en, m.city]))[:1000],
        )
        for m in Mission.objects.using(db).order_by("pk")
    )
    ConsularDistrict.objects.using(db).bulk_create(
        ConsularDistrict(organization_id=c.mission_id, region=c.region)
        for c in MissionCoverage.objects.using(db).order_by("pk")
    )
    Person.objects.using(db).bulk_create(
        Person(
            organization_id=c.mission_id,
            **_names(c.name),
            search_names=fold(" ".join(_names(c.name).values()))[:700],
            title_zh=c.title if _has_han(c.title) else "",
            title_en="" if _has_han(c.title) else c.title,
            languages=c.languages,
            phone=c.phone,
            email=c.email,
            sort_order=c.sort_order,
        )
        for c in MissionContact.objects.using(db).order_by("pk")
    )
    # Ids were given explicitly: the next organization created must not reuse one (PostgreSQL).
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Organization]):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_organizations_people"),
        ("assistance", "0003_notification_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="search_names",
            field=models.CharField(blank=True, editable=False, max_length=1000),
        ),
        migrations.AddField(
            model_name="person",
            name="search_names",
            field=models.CharField(blank=True, editable=False, max_length=700),
        ),
        migrations.RunPython(copy_missions, migrations.RunPython.noop),
    ]
