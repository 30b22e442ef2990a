from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def organization_panel(organization, user) -> dict:
    from liaison.contacts.selectors import contacts_for_organization

    return {"relationship": contacts_for_organization(user, organization)}


class ContactsConfig(AppConfig):
    name = "liaison.contacts"
    label = "contacts"
    verbose_name = _("Contact log and commitments")

    def ready(self):
        from django.db.models.signals import post_save

        from liaison.contacts import waiting
        from liaison.contacts.indexing import refresh_for
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting
        from liaison.directory.models import Organization, Person
        from liaison.directory.slots import register_panel

        # A name corrected in the directory is found in the log under its new spelling.
        post_save.connect(refresh_for, sender=Person, dispatch_uid="contacts.refresh_person")
        post_save.connect(refresh_for, sender=Organization, dispatch_uid="contacts.refresh_org")

        # Every user may own a commitment (an exchange officer's follow-up, a director's promise):
        # their own open and overdue ones wait on their home page, whatever their desk.
        register_waiting(Area.HOME, waiting.my_commitments)
        # The organization page's panel: its contacts and open commitments.
        register_panel(Area.CONTACTS_READ, "contacts/_for_organization.html", organization_panel)
        register_nav(
            NavItem(
                Area.CONTACTS_READ,
                _("Contact log"),
                "contacts:log",
                _("Calls, visits, meetings, notes and letters with counterparts, and outcomes"),
            ),
            NavItem(
                Area.CONTACTS_READ,
                _("Commitments"),
                "contacts:commitments",
                _("What each side promised, by whom, by when; open and overdue first"),
            ),
        )
