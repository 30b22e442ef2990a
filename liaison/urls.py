from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from liaison.api import api
from liaison.core import params  # noqa: F401 - registers <id:…>, the URL converter of record ids
from liaison.core.favicon import favicon
from liaison.core.views import healthz

# Django's admin site asks for a verified second factor, like the rest of the administrator's pages.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("declare/", include("liaison.arrivals.public_urls")),
    path("declare/", include("liaison.retention.public_urls")),
    path("arrivals/", include("liaison.arrivals.urls")),
    path("screening/", include("liaison.screening.urls")),
    path("handover/", include("liaison.handover.urls")),
    path("assistance/", include("liaison.assistance.urls")),
    path("directory/", include("liaison.directory.urls")),
    path("contacts/", include("liaison.contacts.urls")),
    path("aid/", include("liaison.aid.urls")),
    path("media-desk/", include("liaison.media.urls")),
    path("policy/", include("liaison.policy.urls")),
    path("exchanges/", include("liaison.exchanges.urls")),
    path("calendar/", include("liaison.agenda.urls")),
    path("duty/", include("liaison.duty.urls")),
    path("jobs/", include("liaison.jobs.urls")),
    path("notifications/", include("liaison.notifications.urls")),
    path("incidents/", include("liaison.incidents.urls")),
    path("leadership/", include("liaison.leadership.urls")),
    path("retention/", include("liaison.retention.urls")),
    path("", include("liaison.core.urls")),
]

# Error pages in the app's look and the reader's language (liaison.core.errors).
handler400 = "liaison.core.errors.bad_request"
handler403 = "liaison.core.errors.permission_denied"
handler404 = "liaison.core.errors.page_not_found"
handler500 = "liaison.core.errors.server_error"
