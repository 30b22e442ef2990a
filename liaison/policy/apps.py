from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "liaison.policy"
    label = "policy"
    verbose_name = _("Screening policy")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.reference import register_loader
        from liaison.core.waiting import register_waiting
        from liaison.policy import waiting
        from liaison.policy.services import load_reference_policy

        register_waiting(Area.POLICY_REVIEW, waiting.reviews)

        # The shipped default policy is part of a city's reference data.
        register_loader(load_reference_policy)
        register_nav(
            NavItem(
                Area.POLICY,
                _("Screening policy"),
                "policy:versions",
                _("Rules and risk lists: which version is in force, drafts, what-if"),
            ),
            NavItem(
                Area.POLICY_REVIEW,
                _("Policy reviews"),
                "policy:reviews",
                _("Travelers a new policy version would move, to confirm or dismiss"),
            ),
        )
