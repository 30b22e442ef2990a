"""``/favicon.ico``: browsers ask for it on every site whatever the pages say; answer with the
static icon (kept a week) rather than a logged 404 per visit."""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from liaison.core.access import public

ICON = Path(__file__).parent / "static" / "core" / "favicon.svg"
_BYTES = ICON.read_bytes()


@public
@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_BYTES, content_type="image/svg+xml")
