"""One JSON reader for every body the API takes: what it cannot safely handle is a 400.

``json.loads`` accepts more than the code after it can bear: lists nested thousands deep (a
``RecursionError`` in the parser, or later in validation and storage), strings holding a lone
surrogate such as ``"\\ud800"`` (valid JSON, but no UTF-8 encoding: the database refuses it),
``NaN`` and ``Infinity``, and integers of any length. ``load_json`` refuses each of them with a
message for the client; ``GuardedParser`` makes ninja's own body parsing use it.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.utils.translation import gettext as _
from ninja.parser import Parser

MAX_DEPTH = 32  # a declaration is 3 deep; nothing the API takes is deeper than 5
MAX_INT = 2**63 - 1


class BadJson(ValueError):
    """A body the API will not read, with the message for the client and, when one value is
    at fault, where it is (``history.0.city``; ``""`` for the body as a whole)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _constant(name: str):
    raise BadJson(_("The body is not valid JSON (%(name)s is not a number).") % {"name": name})


def load_json(body: bytes | str) -> Any:
    """The JSON value of a request body, or ``BadJson`` saying what is wrong with it."""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadJson(_("The body is not valid UTF-8 text.")) from None
    else:
        text = body
    try:
        value = json.loads(text, parse_constant=_constant)
    except BadJson:
        raise
    except RecursionError:
        raise BadJson(_too_deep()) from None
    except ValueError:  # JSONDecodeError, and an integer of more than 4,300 digits
        raise BadJson(_("The body is not valid JSON.")) from None
    check(value)
    return value


def _too_deep() -> str:
    return _("The body is nested too deeply (at most %(n)d levels).") % {"n": MAX_DEPTH}


def check(value: Any) -> None:
    """Walk a parsed value without recursion: depth, strings that are UTF-8 without NUL, 64-bit
    integers. A refusal names the value's place."""
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        item, place = stack.pop()
        if isinstance(item, dict | list) and len(place) >= MAX_DEPTH:
            raise BadJson(_too_deep())
        if isinstance(item, dict):
            for key, inner in item.items():
                _text(key, place)
                stack.append((inner, (*place, key)))
        elif isinstance(item, list):
            stack.extend((inner, (*place, str(index))) for index, inner in enumerate(item))
        elif isinstance(item, str):
            _text(item, place)
        elif isinstance(item, int) and not -MAX_INT - 1 <= item <= MAX_INT:
            raise BadJson(_("This number is too large."), ".".join(place))


def _text(text: str, place: tuple) -> None:
    """A text's checks; its place is joined into a field name only when it is refused."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadJson(
            _("The body holds text that is not valid Unicode (a lone surrogate such as \\ud800)."),
            ".".join(place),
        ) from None
    if "\x00" in text:  # valid JSON ("\u0000"), but PostgreSQL stores no NUL in text
        raise BadJson(_("The body holds a NUL character (\\u0000) in a text."), ".".join(place))


class GuardedParser(Parser):
    """Ninja's body parser through ``load_json``; ``api_errors`` answers its refusal."""

    def parse_body(self, request):
        try:
            body = request.body
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            raise BadJson(
                _("The request body is too large (at most %(n)d bytes).") % {"n": limit}
            ) from None
        return load_json(body)


# --- NUL characters ---------------------------------------------------------------------------


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


class RefuseNulMiddleware:
    """A request whose path, query string, cookies or form fields hold a NUL character is a
    400 before any view runs: no page or form takes one, and PostgreSQL refuses to store or
    compare text holding one (a ``DataError`` deep in a query, else: a 500).

    Early in ``MIDDLEWARE``, before the sessions (a session cookie is looked up in the database).
    Uploaded files are not read here; their readers refuse a NUL in a cell (``core/uploads``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path_info
            or "%00" in request.META.get("QUERY_STRING", "")
            or _has_nul(request.COOKIES.values())
            or _has_nul(request.COOKIES.keys())
            or (request.method == "POST" and self._form_has_nul(request))
        ):
            raise BadRequest(_("The request holds a NUL character."))
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request) -> bool:
        # Only a URL-encoded form: it is read from the body, which stays readable for the view.
        # A multipart one would be consumed from the stream here; its text fields are checked by
        # the forms (Django's CharField refuses a NUL).
        if request.content_type != "application/x-www-form-urlencoded":
            return False
        try:
            form = request.POST
        except (RequestDataTooBig, BadRequest, ValueError):
            return False  # the view's own reading answers these (a 400 or 413)
        return any(_has_nul([key, *form.getlist(key)]) for key in form)
