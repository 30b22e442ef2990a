"""One search across the directory and the contact log (issue 14, point 8).

Organizations and people by their names, contacts by their stored search text (topics,
summary, place, participants' and organizations' names: ``indexing.py``), each in any script
and in Latin letters (``directory.search``). Each group comes through its desk's own selector,
so a user sees only what they may: the directory's readers its organizations and people, the
log's readers its contacts. Withdrawn contacts are found and marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from liaison.contacts import selectors as log
from liaison.contacts.models import Contact
from liaison.core import audit
from liaison.core.access import Area, can
from liaison.directory import selectors as directory
from liaison.directory.models import Person
from liaison.directory.search import directory_search, is_short, matching

KINDS = ("organizations", "people", "contacts")
# How many of each kind the page shows together; one kind alone is paged by PAGE_SIZE.
PREVIEW = 10
PAGE_SIZE = 50


@dataclass
class Group:
    kind: str
    count: int
    page: Page


@dataclass
class Found:
    query: str
    groups: list[Group]

    def group(self, kind: str) -> Group | None:
        return next((g for g in self.groups if g.kind == kind), None)

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)


def searchable_kinds(user) -> tuple[str, ...]:
    """The groups this user may search: the directory's readers two, the log's readers three."""
    kinds = []
    if can(user, Area.DIRECTORY):
        kinds += ["organizations", "people"]
    if can(user, Area.CONTACTS_READ):
        kinds.append("contacts")
    return tuple(kinds)


def _matches(user, kind: str, query: str) -> QuerySet:
    if kind == "organizations":
        return directory.organizations_visible_to(user).filter(directory_search(query))
    if kind == "people":
        return directory.people_visible_to(user).filter(directory_search(query))
    contacts = log.contacts_visible_to(user).filter(matching(query, "search_text"))
    return log.with_people(contacts)


def search(user, query: str, *, kind: str = "", page: int = 1, per_page: int | None = None):
    """What ``query`` finds for this user, by kind, or None when it is too short to search.

    With ``kind`` one group, ``page`` of it; without, the first few of each (``PREVIEW``).
    """
    if is_short(query):
        return None
    kinds = [k for k in searchable_kinds(user) if not kind or k == kind]
    size = per_page or (PAGE_SIZE if kind else PREVIEW)
    groups = []
    for name in kinds:
        pages = Paginator(_matches(user, name, query), size)
        groups.append(Group(kind=name, count=pages.count, page=pages.get_page(page)))
    return Found(query=query, groups=groups)


def record_reads(found: Found | None) -> None:
    """One read entry for the people shown (found, or taking part in a contact shown), one for
    the contacts shown, as the log's own page records them."""
    if found is None:
        return
    people = found.group("people")
    contacts = found.group("contacts")
    shown = [p.pk for p in people.page.object_list] if people else []
    if contacts:
        shown += [
            row.person_id
            for contact in contacts.page.object_list
            for row in contact.participants.all()
            if row.person_id
        ]
        audit.record_reads(Contact, contacts.page.object_list, note="search")
    audit.record_reads(Person, shown, note="search")
