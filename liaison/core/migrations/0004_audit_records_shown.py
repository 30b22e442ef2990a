"""One read entry names every record a page, an export or an API answer showed.

The column is nullable without a default, so SQLite adds it in place; the append-only triggers of
0002 are made again anyway, in case a database copied the table.
"""

import importlib

from django.db import migrations, models


def append_only_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        earlier = importlib.import_module("liaison.core.migrations.0002_audit_append_only")
        earlier.backward(apps, schema_editor)
        earlier.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_leaner_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="object_ids",
            field=models.JSONField(blank=True, null=True, verbose_name="records shown"),
        ),
        migrations.RunPython(append_only_again, append_only_again),
    ]
