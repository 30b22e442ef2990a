"""``field__among=[...]``: membership in a long list of values, as one parameter.

``field__in`` binds one parameter per value and Django prepares each value in Python: for the
10,000 travelers of a results file that preparation cost more than the query
(``bench/lab_results.py``). ``among`` sends the whole list as one value — a PostgreSQL array
(``= ANY(%s::bigint[])``) or, on SQLite, a JSON array read by ``json_each`` — so the statement's
text is the same whatever the count, and there is no limit on the parameters to chunk around.
Values are the column's plain values (ids, codes), as ``in`` takes them.
"""

from __future__ import annotations

import json

from django.db import NotSupportedError
from django.db.models import Field, ForeignObject, Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def _values(self) -> list:
        values = list(self.rhs)
        if any(not isinstance(v, int | str) or isinstance(v, bool) for v in values):
            raise TypeError("among: plain ids or codes only")
        return values

    def as_sql(self, compiler, connection):
        raise NotSupportedError("Liaison runs on SQLite and PostgreSQL")

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        # The element type: the column's own (a foreign key's is its target's; an id's, without
        # the identity that its column adds).
        element = field.db_type(connection) if field.is_relation else field.rel_db_type(connection)
        return f"{lhs} = ANY(%s::{element}[])", [*params, self._values()]

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = json.dumps(self._values())
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, ids]  # noqa: S608


def register() -> None:
    Field.register_lookup(Among)
    ForeignObject.register_lookup(Among)
