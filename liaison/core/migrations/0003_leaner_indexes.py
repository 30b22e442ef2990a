"""Fewer indexes on the audit trail, which every action anywhere writes to.

On PostgreSQL, db_index on a text column makes two indexes (one for LIKE queries); the type's own
index was also the prefix of the (type, id) index. SQLite alters these columns by copying the
table, which drops its triggers: the append-only triggers of 0002 are made again.
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
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        # Undoing this migration copies the table again: the triggers are made again last.
        migrations.RunPython(migrations.RunPython.noop, append_only_again),
        migrations.RenameIndex(
            model_name="auditentry",
            new_name="audit_record",
            old_name="core_audite_object__83eb8a_idx",
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Create"),
                    ("update", "Update"),
                    ("delete", "Delete"),
                    ("read", "Read"),
                    ("export", "Export"),
                    ("login", "Sign-in"),
                    ("login_failed", "Failed sign-in"),
                    ("logout", "Sign-out"),
                    ("denied", "Access denied"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="object_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="record id"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="object_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="record type"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action"], name="audit_action"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["object_id"], name="audit_object_id"),
        ),
        migrations.RunPython(append_only_again, migrations.RunPython.noop),
    ]
