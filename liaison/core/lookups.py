"""Two lookups for long lists, each one parameter and one shape of SQL on both databases.

``field__among=[...]``: membership in a long list of values, as one parameter.

``field__in`` binds one parameter per value and Django prepares each value in Python: for the
10,000 travelers of a results file that preparation cost more than the query
(``bench/lab_results.py``). ``among`` sends the whole list as one value — a PostgreSQL array
(``= ANY(%s::bigint[])``) or, on SQLite, a JSON array read by ``json_each`` — so the statement's
text is the same whatever the count, and there is no limit on the parameters to chunk around.
Values are the column's plain values (ids, codes), as ``in`` takes them.

``json_field__holds="12"``: a JSON list column holds this value as one of its elements (the
audit entries that name a record in ``object_ids``). On PostgreSQL it is containment,
``@> '["12"]'``, which the column's GIN index answers (``core/0006``); on SQLite, a pattern over
the list's text for a plain id or code and ``json_each`` for anything else. Only an element equal
to the value matches: "12" is not in ["112", "120"].
"""

from __future__ import annotations

import json
import re

from django.db import NotSupportedError
from django.db.models import Field, ForeignObject, JSONField, Lookup


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


# Text that JSON writes as it is, between quotes, and that no GLOB pattern character is part of.
_PLAIN = re.compile(r"[A-Za-z0-9_.:-]+")


class Holds(Lookup):
    lookup_name = "holds"
    prepare_rhs = False

    def _value(self) -> str:
        if not isinstance(self.rhs, str):
            raise TypeError("holds: one text value")
        return self.rhs

    def as_sql(self, compiler, connection):
        raise NotSupportedError("Liaison runs on SQLite and PostgreSQL")

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*params, json.dumps([self._value()])]

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        value = self._value()
        if _PLAIN.fullmatch(value):
            # The list is stored as the text '["12", "13"]', and a plain value quoted is one
            # whole element: a pattern over the text, about three times faster than json_each, and
            # case-sensitive as PostgreSQL's containment (GLOB, unlike LIKE).
            return f"{lhs} GLOB %s", [*params, f'*"{value}"*']
        # Anything else (quotes, pattern characters, other scripts) element by element.
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608
        return sql, [*params, value]


def register() -> None:
    Field.register_lookup(Among)
    ForeignObject.register_lookup(Among)
    JSONField.register_lookup(Holds)
