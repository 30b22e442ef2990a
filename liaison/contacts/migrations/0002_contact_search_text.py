"""Each contact's search text (``contacts/indexing.py``), filled for the contacts already logged.

On PostgreSQL the column also gets a trigram index (``pg_trgm``, a trusted extension a
database's owner may create), which serves ``LIKE '%word%'`` for words of three letters or
more; where the extension cannot be created the search still works, by a scan of the column.
SQLite scans the column: one ``LIKE`` per word over stored text, no join.
"""

from django.db import DatabaseError, migrations, models, transaction

from liaison.contacts.indexing import text_of

INDEX = "contacts_contact_search_trgm"


def fill(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    Participant = apps.get_model("contacts", "Participant")
    rows = Participant.objects.select_related("person", "user", "organization")
    batch = []
    for contact in Contact.objects.prefetch_related(
        models.Prefetch("participants", queryset=rows)
    ).iterator(chunk_size=500):
        contact.search_text = text_of(contact, contact.participants.all())
        batch.append(contact)
        if len(batch) == 500:
            Contact.objects.bulk_update(batch, ["search_text"])
            batch = []
    Contact.objects.bulk_update(batch, ["search_text"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON contacts_contact "
                "USING gin (search_text gin_trgm_ops)"
            )
    except DatabaseError:
        pass  # no extension here: the search scans the column


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_contact_log_commitments"),
        ("directory", "0003_directory_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
