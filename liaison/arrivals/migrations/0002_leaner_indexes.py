"""Unique constraints instead of unique=True, and no index of its own for a revision's arrival.

On PostgreSQL, unique=True on a text column also makes an index for LIKE queries; nothing looks
up a declaration code, status token or idempotency key but by equality. The unique (arrival,
number) index already serves look-ups of a revision by arrival.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("arrivals", "0001_initial"),
        ("core", "0003_leaner_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="arrival",
            name="code",
            field=models.CharField(max_length=8, verbose_name="declaration code"),
        ),
        migrations.AlterField(
            model_name="arrival",
            name="status_token",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="declarationrevision",
            name="arrival",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="revisions",
                to="arrivals.arrival",
            ),
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="key",
            field=models.CharField(max_length=100),
        ),
        migrations.AddConstraint(
            model_name="arrival",
            constraint=models.UniqueConstraint(fields=("code",), name="arrival_code_unique"),
        ),
        migrations.AddConstraint(
            model_name="arrival",
            constraint=models.UniqueConstraint(
                fields=("status_token",), name="arrival_status_token_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="idempotencyrecord",
            constraint=models.UniqueConstraint(fields=("key",), name="idempotency_key_unique"),
        ),
    ]
