"""A record's audit history finds the entries that name it among many (``object_ids``) by an
index on PostgreSQL instead of reading the whole audit table: a GIN index of the JSON list
(``jsonb_path_ops``: it answers containment, ``object_ids @> '["12"]'``, which is what the
``holds`` lookup of ``core/lookups.py`` asks). Partial: the entries that name no list (the
changes every write records, a declaration's among them) cost the index nothing; containment
implies a list, so PostgreSQL uses it for ``holds``.

Built ``CONCURRENTLY``, outside a transaction: every request writes an audit entry, and a plain
``CREATE INDEX`` would hold them all while it reads a large table. SQLite has no such index: its
``holds`` reads every entry (``bench/_audit_search.py`` measures both).
"""

from django.db import migrations

INDEX = "audit_object_ids"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON core_auditentry USING gin (object_ids jsonb_path_ops) WHERE object_ids IS NOT NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0005_hotlines"),
    ]

    operations = [migrations.RunPython(create, drop)]
