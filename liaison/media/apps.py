from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def organization_panel(organization, user) -> dict:
    from liaison.media.selectors import requests_for_organization

    return {"media": requests_for_organization(user, organization)}


class MediaConfig(AppConfig):
    name = "liaison.media"
    label = "media"
    verbose_name = _("Foreign media")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting
        from liaison.directory.slots import register_panel
        from liaison.media import waiting

        # The officer a request is assigned to sees it, with its deadline, on their home page.
        register_waiting(Area.LIAISON, waiting.my_requests)
        # A media bureau's page in the directory: its requests.
        register_panel(Area.MEDIA_READ, "media/_for_organization.html", organization_panel)
        register_nav(
            NavItem(
                Area.MEDIA_READ,
                _("Media requests"),
                "media:requests",
                _("Interviews, information, visits and filming asked by foreign media"),
            ),
            NavItem(
                Area.MEDIA_READ,
                _("Press releases"),
                "media:releases",
                _("The office's releases in Chinese and English, and who they were sent to"),
            ),
        )
