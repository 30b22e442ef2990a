from django.conf import settings

from liaison.core.access import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(user) if user is not None else [],
        "staff_languages": [(c, n) for c, n in settings.LANGUAGES if c in settings.STAFF_LANGUAGES],
    }
