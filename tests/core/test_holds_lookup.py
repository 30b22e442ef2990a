"""The ``holds`` lookup (core/lookups.py): the audit entries that name a record among many, an
element equal to the id and nothing else, on both databases; on PostgreSQL through its index."""

import pytest
from django.db import connection

from liaison.core import audit
from liaison.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    made = {
        "many": audit.record_reads(AuditEntry, ["12", "13", "7"], note="many"),
        "one": audit.record_reads(AuditEntry, ["1"], note="one"),
        "near": audit.record_reads(AuditEntry, ["112", "120", "2"], note="near"),
        "none": audit.record("read", object_type="core.site", object_id="12", note="none"),
        "codes": audit.record_reads(
            AuditEntry, ["cases.case:Ab-1", "a*b", 'say "hi"', "北京"], note="codes"
        ),
    }
    return made


def _holding(value: str) -> set[str]:
    return set(AuditEntry.objects.filter(object_ids__holds=value).values_list("note", flat=True))


def test_an_element_equal_to_the_value_and_nothing_else(entries):
    assert _holding("12") == {"many"}
    assert _holding("1") == {"one"}
    assert _holding("2") == {"near"}
    assert _holding("11") == set()  # a part of "112" is not an element
    assert _holding("") == set()
    assert _holding('12", "13') == set()  # text that spans elements is no element either


def test_codes_match_whole_and_case_sensitive_and_pattern_characters_are_text(entries):
    assert _holding("cases.case:Ab-1") == {"codes"}
    assert _holding("cases.case:ab-1") == set()  # as PostgreSQL's containment: case counts
    assert _holding("a*b") == {"codes"}
    assert _holding("a?b") == _holding("*") == _holding("a[*]b") == set()
    assert _holding('say "hi"') == {"codes"} and _holding("hi") == set()
    assert _holding("北京") == {"codes"} and _holding("北") == set()


def test_entries_without_a_list_hold_nothing(entries):
    assert entries["none"].object_ids is None
    assert "none" not in _holding("12")
    assert AuditEntry.objects.exclude(object_ids__holds="12").filter(note="none").count() == 1


def test_only_text_is_asked_for(entries):
    with pytest.raises(TypeError):
        list(AuditEntry.objects.filter(object_ids__holds=12))


def test_the_audit_search_by_record_finds_both_kinds_of_entry(entries):
    from liaison.core.selectors import filter_audit_entries

    found = filter_audit_entries(AuditEntry.objects.all(), object_id=" 12 ")
    assert set(found.values_list("note", flat=True)) == {"many", "none"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no index of a list")
def test_postgresql_answers_it_from_the_index(entries):
    query = AuditEntry.objects.filter(object_ids__holds="12").order_by().values("id")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # The table is tiny, so the planner would rather read it all, or walk another index and
        # filter: forbid both, and see that the index can answer (a GIN index is read by a
        # bitmap scan, which stays allowed).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_object_ids" in plan, plan
