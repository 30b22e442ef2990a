"""Every change of an organization or a person, with each field's value before and after.

Also rewrites every name's search key (``directory.search.search_key``): it now holds the
names' Latin readings (pinyin, and AnyAscii for other scripts) besides the folded names.
Nothing of the old audit-only history is lost: the audit trail keeps it.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from liaison.directory.search import search_key


def rewrite_search_keys(apps, schema_editor):
    Organization = apps.get_model("directory", "Organization")
    Person = apps.get_model("directory", "Person")
    organizations = []
    for o in Organization.objects.only("code", "name_zh", "name_en", "name_native", "city"):
        o.search_names = search_key(o.code, o.name_zh, o.name_en, o.name_native, o.city)[:1000]
        organizations.append(o)
    Organization.objects.bulk_update(organizations, ["search_names"], batch_size=500)
    people = []
    for p in Person.objects.only("name_native", "name_latin", "name_zh"):
        p.search_names = search_key(p.name_native, p.name_latin, p.name_zh)[:700]
        people.append(p)
    Person.objects.bulk_update(people, ["search_names"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_missions_from_assistance"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("created", "Created"), ("updated", "Corrected"), ("deactivated", "Deactivated")], max_length=20)),
                ("at", models.DateTimeField(default=timezone.now)),
                ("reason", models.TextField(blank=True)),
                ("changes", models.JSONField(blank=True, default=dict)),
                ("by", models.ForeignKey(blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("organization", models.ForeignKey(blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="changes", to="directory.organization")),
                ("person", models.ForeignKey(blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="changes", to="directory.person")),
            ],
            options={
                "verbose_name": "directory change",
                "verbose_name_plural": "directory changes",
                "ordering": ["-at", "-id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("organization__isnull", False), ("person__isnull", True))
                        | models.Q(("organization__isnull", True), ("person__isnull", False)),
                        name="directory_change_one_record",
                    )
                ],
            },
        ),
        migrations.RunPython(rewrite_search_keys, migrations.RunPython.noop),
    ]
