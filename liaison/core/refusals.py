"""One way for a service to refuse, and one way to show a refusal on a page.

A service that will not do what it was asked raises ``Refused`` before it writes anything (or
inside its transaction, which then rolls back): a translated ``message`` that says what to do,
the ``field`` it concerns (``""``: the request as a whole) and the HTTP ``status`` that answers
it — 400 by default, 409 (``Conflict``) when the record's state does not allow it now. A
declaration reports every problem at once: ``Refused(problems=[(field, message), …])``.

The API answers a ``Refused`` in the one error shape (``api_errors.install``); a page shows it
with ``show_on`` (on the form's field, else above the form), or, for a button on a record's
page, with ``refused_on`` (that page again, the message above it, the refusal's 4xx status) —
``refused_back`` when the button's form says which page it is on (its ``next``).
``flash`` alone (a message on the next page) is for answers that are not refusals of input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve

from liaison.core.redirects import safe_next


class Refused(Exception):  # noqa: N818 - the domain's word
    """The request cannot be done; nothing was changed."""

    status = 400

    def __init__(
        self,
        message: str = "",
        field: str = "",
        *,
        problems: Iterable[tuple[str, str]] = (),
        status: int | None = None,
    ):
        self.problems: list[tuple[str, str]] = [(f, str(m)) for f, m in problems] or [
            (field, str(message))
        ]
        self.field, self.message = self.problems[0]
        if status is not None:
            self.status = status
        # What a reader is told, as before: ``str(refusal)`` is the message (or messages).
        super().__init__("; ".join(message for _field, message in self.problems))


class Conflict(Refused):
    """The record's state does not allow it (now): someone else moved it, or it is too late."""

    status = 409


def show_on(form: forms.Form, refusal: Refused) -> None:
    """Each problem on the form's field it names, or above the form when the form has none."""
    for field, message in refusal.problems:
        form.add_error(field if field in form.fields else None, message)


def flash(request: HttpRequest, refusal: Refused) -> None:
    """The refusal as an error message on the page the view redirects to."""
    for _field, message in refusal.problems:
        messages.error(request, message)


def refused_on(
    request: HttpRequest, refusal: Refused, page: Callable[..., HttpResponse], *args, **kwargs
) -> HttpResponse:
    """The page the form was sent from, shown again with the refusal above it and answered with
    the refusal's status (400, 409): the officer sees why on the record itself, a client sees a
    4xx, and nothing was changed. ``page`` is that page's view, called as if it were read."""
    flash(request, refusal)
    request.method = "GET"  # the page is shown as read; the form it came from was refused
    response = page(request, *args, **kwargs)
    response.status_code = refusal.status
    return response


def refused_back(request: HttpRequest, refusal: Refused, fallback: str) -> HttpResponse:
    """``refused_on`` the page the form says it was sent from (its ``next``, if it is a page of
    this site), else the ``fallback`` page (a URL name)."""
    try:
        match = resolve(urlsplit(safe_next(request, fallback)).path)
    except Resolver404:
        match = resolve(resolve_url(fallback))
    return refused_on(request, refusal, match.func, *match.args, **match.kwargs)
