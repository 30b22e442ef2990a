"""What search reads of a contact: one stored text, so a search is no join and no folding.

``Contact.search_text`` holds the search key (``directory.search.search_key``) of its topics,
summary, place and medium, and of every participant's names and organization's names. The
log's services write it on every log and correction; a correction of a name in the directory
rewrites it for that person's or organization's contacts (``contacts/apps.py`` connects
``refresh_for``), in the same transaction.

``text_of`` reads only fields, so the data migration that fills the column uses it on its
historical models.
"""

from __future__ import annotations

from collections.abc import Iterable

from liaison.directory.search import search_key

# The names a directory correction must carry into the log.
PERSON_NAMES = frozenset({"name_native", "name_latin", "name_zh"})
ORGANIZATION_NAMES = frozenset({"code", "name_zh", "name_en", "name_native", "city"})


def _officer(user) -> str:
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.username


def text_of(contact, participants: Iterable) -> str:
    parts = [*contact.topics, contact.summary, contact.place, contact.medium]
    organizations = {}
    for row in participants:
        if row.person_id:
            person = row.person
            parts += [person.name_native, person.name_latin, person.name_zh]
        if row.user_id:
            parts.append(_officer(row.user))
        if row.organization_id:
            organizations[row.organization_id] = row.organization
    for o in organizations.values():
        parts += [o.code, o.name_zh, o.name_en, o.name_native, o.city]
    return search_key(*[part for part in parts if part])


def _participants(contact):
    return contact.participants.select_related("person", "user", "organization")


def index(contact) -> None:
    """Write the contact's search text (after its participants are written)."""
    from liaison.contacts.models import Contact

    text = text_of(contact, _participants(contact))
    contact.search_text = text
    Contact.objects.filter(pk=contact.pk).update(search_text=text)


def reindex(contacts) -> int:
    """Rewrite the search text of these contacts, set-based: one read, batched writes."""
    from django.db.models import Prefetch

    from liaison.contacts.models import Contact, Participant

    rows = Participant.objects.select_related("person", "user", "organization")
    changed = []
    for contact in contacts.prefetch_related(Prefetch("participants", queryset=rows)):
        text = text_of(contact, contact.participants.all())
        if text != contact.search_text:
            contact.search_text = text
            changed.append(contact)
    Contact.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


def refresh_for(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    """A directory person or organization saved: their contacts' text, if a name changed."""
    from liaison.contacts.models import Contact
    from liaison.directory.models import Organization

    if raw or created:
        return
    names = ORGANIZATION_NAMES if isinstance(instance, Organization) else PERSON_NAMES
    if update_fields is not None and not names & set(update_fields):
        return
    if isinstance(instance, Organization):
        contacts = Contact.objects.filter(participants__organization=instance)
    else:
        contacts = Contact.objects.filter(participants__person=instance)
    reindex(contacts.distinct())
