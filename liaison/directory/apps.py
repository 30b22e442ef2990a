from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "liaison.directory"
    label = "directory"
    verbose_name = _("Directory of counterparts")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.reference import register_loader
        from liaison.directory.reference import load_directory

        register_loader(load_directory)
        register_nav(
            NavItem(
                Area.DIRECTORY,
                _("Directory of counterparts"),
                "directory:organizations",
                _(
                    "Consulates, embassies, Hong Kong and Macao offices, media, governments, "
                    "sister cities and their people; who serves whom"
                ),
            ),
        )
