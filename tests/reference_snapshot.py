"""The ``city`` fixture's reference data, loaded for real once per test process and restored
from that copy afterwards.

``reference.load`` of the default city costs about a second (a few hundred rows, each audited);
most tests ask for it. The first test of a process runs the real load in its transaction and
keeps a copy of every row the load made (the audit entries included); every later test gets the
same rows, with the same ids and values, in one transaction of bulk inserts. Nothing else
changes: a test without ``city`` still starts without reference data, and a test with it sees
exactly what a real load would have written. The caches that a saved jurisdiction or port
empties are emptied as a real load would empty them.
"""

from __future__ import annotations

import copy
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from liaison.core import audit, reference

_SNAPSHOTS: dict[str, list[tuple[type, list]]] = {}


def _models() -> list[type]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _real_load(directory: Path) -> list[tuple[type, list]]:
    models = _models()
    before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
    with audit.acting_as(username="test"):
        reference.load(directory)
    made = []
    for model in models:
        new = [row for row in model._base_manager.order_by("pk") if row.pk not in before[model]]
        if new:
            made.append((model, new))
    return made


def load_city(directory: Path) -> None:
    key = str(directory)
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is None:
        _SNAPSHOTS[key] = _real_load(directory)
        return
    with transaction.atomic():  # foreign keys are checked at its end, whatever the order
        for model, rows in snapshot:
            model._base_manager.bulk_create([copy.copy(row) for row in rows])
        if connection.vendor == "postgresql":
            # Rows inserted with their ids leave the sequences behind: move them on.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(
                    no_style(), [model for model, _rows in snapshot]
                ):
                    cursor.execute(statement)
    from liaison.arrivals.services import forget_cached_reference

    forget_cached_reference()
