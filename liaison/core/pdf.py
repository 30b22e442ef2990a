"""Render a Django template to PDF: the printable page and its PDF are one template.

WeasyPrint lays the HTML out with Pango and HarfBuzz, so every script is shaped (Arabic joined,
right to left; Hangul as Hangul) and each character falls back through fontconfig to a font that
has it (Debian's Noto fonts, installed by ``scripts/system-packages.sh``). The fonts used are
subset and embedded, so the file reads the same on a machine without them.

What a template shows comes from people (names, addresses, notes): Django escapes it, and the
fetcher below loads nothing but our own static files, so no text can make the server read a file
or reach the network while it prints.
"""

from __future__ import annotations

import functools
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import render_to_string

# Relative URLs in the template resolve against this made-up origin; only its static path loads.
BASE_URL = "https://pdf.liaison.invalid/"


class RefusedResource(ValueError):
    """A URL the PDF may not load (WeasyPrint logs it and leaves the resource out)."""


def _static_file(url: str) -> Path:
    """The file behind one of our static URLs, or refused."""
    # STATIC_URL as ``{% static %}`` writes it ("/static/", with the script prefix), on our origin.
    root = urljoin(BASE_URL, settings.STATIC_URL)
    parts = urlsplit(url)
    address = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    if not address.startswith(root):
        raise RefusedResource(f"not one of our static files: {url[:200]}")
    name = unquote(address[len(root) :])
    plain = name and posixpath.normpath(name) == name and not name.startswith(("/", ".."))
    if not plain or "\\" in name or "\x00" in name:
        raise RefusedResource(f"not a plain static file name: {url[:200]}")
    found = finders.find(name)
    if found:
        return Path(found)
    # Collected, hashed names (``{% static %}`` with the manifest storage in production).
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    raise RefusedResource(f"no such static file: {name[:200]}")


@functools.cache
def _fetcher_class() -> type:
    # WeasyPrint takes a second to import: only the processes that print pay for it.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves our static files (style sheets) and refuses every other URL, data: included."""

        def fetch(self, url, headers=None):
            path = _static_file(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document; it may load our static files and nothing else."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()())
    return document.write_pdf()


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """The PDF of ``template_name``; the template sees ``pdf`` true (for what differs on paper)."""
    return html_to_pdf(render_to_string(template_name, {**context, "pdf": True}, request=request))
