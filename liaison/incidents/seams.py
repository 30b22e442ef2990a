"""The two seams of the duty desk this app leans on, in one place so wiring them is one edit:

- who holds a post on the roster at a moment (``liaison.duty``: ``selectors.on_duty``);
- telling a person something (``liaison.notifications``: ``notify``).

Until those apps exist, a post is held by nobody (a step then needs a named person) and a
notice is only the ``EscalationNotice`` row this app writes anyway.
"""

from __future__ import annotations

from datetime import datetime
from importlib import import_module


def _optional(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def holders_of(post: str, at: datetime) -> list:
    """The users on duty in ``post`` at ``at`` (the roster's answer), else nobody."""
    on_duty = _optional("liaison.duty.selectors", "on_duty")
    if on_duty is None:
        return []
    return list(on_duty(at, post=post))


def notify(*, user, kind: str, data: dict, subject: str, link: str, once_key: str) -> None:
    """Tell ``user`` urgently (in-app, e-mail, SMS); ``once_key`` keeps a retried job from
    telling them twice. Nothing but this app's own notice row until the app exists."""
    send = _optional("liaison.notifications.services", "notify")
    if send is not None:
        send(
            users=[user],
            kind=kind,
            subject_code=subject,
            data=data,
            link=link,
            urgent=True,
            once_key=once_key,
        )
