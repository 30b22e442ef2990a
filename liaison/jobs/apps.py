from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "liaison.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from liaison.core.access import Area, NavItem, register_nav

        # Every app's ``jobs.py`` registers its jobs (liaison/jobs/registry.py) when it is imported.
        autodiscover_modules("jobs")
        post_migrate.connect(_write_schedules, sender=self)
        register_nav(
            NavItem(
                Area.ADMIN,
                _("Background jobs"),
                "jobs:overview",
                _("Every scheduled job: last run, next run, failures"),
            ),
        )


def _write_schedules(sender, using="default", **kwargs):
    """After ``migrate``: every scheduled job has its schedule (liaison/jobs/queue.py)."""
    from liaison.jobs.queue import sync_schedules

    sync_schedules()
