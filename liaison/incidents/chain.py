"""The escalation chain as data: its steps, who holds each at a moment, who may acknowledge,
and its edit by the duty chief (the administrator edits it in the admin site)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.core.models import User
from liaison.core.refusals import Refused
from liaison.core.roles import Role
from liaison.incidents import seams
from liaison.incidents.models import EscalationStep, Post


def steps() -> list[EscalationStep]:
    return list(EscalationStep.objects.select_related("user").order_by("position"))


def holders(step: EscalationStep, at: datetime) -> list[User]:
    """The named person, else whoever holds the post on the roster at ``at``."""
    if step.user_id:
        return [step.user] if step.user.is_active else []
    return [u for u in seams.holders_of(step.post, at) if u.is_active]


def members(at: datetime) -> set[int]:
    return {user.pk for step in steps() for user in holders(step, at)}


def may_acknowledge(user, at: datetime) -> bool:
    return bool(getattr(user, "pk", None)) and user.pk in members(at)


def may_edit(user, at: datetime) -> bool:
    if getattr(user, "role", "") == Role.ADMINISTRATOR:
        return True
    chiefs = seams.holders_of(Post.DUTY_CHIEF, at)
    named = EscalationStep.objects.filter(post=Post.DUTY_CHIEF, user=user).exists()
    return any(u.pk == user.pk for u in chiefs) or named


@transaction.atomic
def set_chain(*, new_steps: list[dict], by, at: datetime) -> list[EscalationStep]:
    """Replace the chain: ``[{"post": …, "user": User | None, "after_minutes": int}, …]``."""
    if not may_edit(by, at):
        raise Refused(_("Only the duty chief or an administrator may edit the chain."), status=403)
    if not new_steps:
        raise Refused(_("The chain needs at least one step."), "steps")
    problems = []
    for number, step in enumerate(new_steps, start=1):
        if step.get("post") not in Post.values:
            problems.append(("steps", _("Step %(n)s: choose a post.") % {"n": number}))
        minutes = step.get("after_minutes", 0)
        if not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
            problems.append(("steps", _("Step %(n)s: 0 to 1440 minutes.") % {"n": number}))
        user = step.get("user")
        if user is not None and not user.is_active:
            problems.append(("steps", _("Step %(n)s: that account is inactive.") % {"n": number}))
    if problems:
        raise Refused(problems=problems)
    for old in EscalationStep.objects.all():
        old.delete()
    return [
        EscalationStep.objects.create(
            position=number,
            post=step["post"],
            user=step.get("user"),
            after_minutes=step.get("after_minutes", 0),
        )
        for number, step in enumerate(new_steps, start=1)
    ]
