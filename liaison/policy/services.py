"""Writes of the screening policy: drafting, previewing and publishing versions, and deciding.

Each write is one transaction with its audit entries (versions and reviews are audited models;
bulk writes call ``audit.record_many``). The engine in ``liaison.policy.engine`` does the
thinking; this module binds it to the database: which versions, which travelers, who did it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core import reference as reference_data
from liaison.core.models import User
from liaison.core.refusals import Conflict
from liaison.policy import selectors
from liaison.policy.engine import (
    Decision,
    Facts,
    PolicyError,
    Problem,
    diff,
    load_risk_list,
    load_rules,
)
from liaison.policy.engine.yaml_source import YamlProblem, parse_yaml
from liaison.policy.models import (
    VERSION_MODELS,
    PolicyKind,
    PolicyReview,
    PolicyVersion,
    ReviewStatus,
    RiskListVersion,
    RulesVersion,
    VersionStatus,
    content_digest,
)

# --- deciding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyDecision:
    """A decision and the two versions that made it (what the pipeline stores)."""

    decision: Decision
    rules_version_id: int
    risk_list_version_id: int

    def as_record(self) -> dict[str, Any]:
        """``Decision.as_dict()`` plus the version ids: render it later with the
        ``policy/_decision.html`` include (``{% policy_decision record %}``)."""
        return {
            **self.decision.as_dict(),
            "rules_version_id": self.rules_version_id,
            "risk_list_version_id": self.risk_list_version_id,
        }


def decide(*, facts: Facts, at: datetime | None = None) -> PolicyDecision:
    """Decide one arrival with the policy in force at ``at`` (now by default).

    Raises ``selectors.NoPolicyInForce`` when no version is in force. Writes nothing: the
    pipeline stores the decision with its disposition.
    """
    rules, risk, policy = selectors.policy_in_force(at)
    return PolicyDecision(policy.evaluate(facts), rules.pk, risk.pk)


# --- drafts -----------------------------------------------------------------------------------


def _validate(kind: PolicyKind | str, text: str | bytes) -> tuple[str, Any, dict]:
    """Validate a document; return its text, the parsed value and the line of each path."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PolicyError([Problem(None, "", f"not UTF-8 text: {error.reason}", 1)]) from None
    load = load_rules if kind == PolicyKind.RULES else load_risk_list
    load(text, known_countries=selectors.known_countries())
    try:
        data, lines = parse_yaml(text)
    except YamlProblem as problem:  # cannot happen after a successful load; be explicit anyway
        raise PolicyError([Problem(None, "", problem.reason, problem.line)]) from None
    return text, data, lines


def _check_label_is_free(model: type[PolicyVersion], data: Any, lines: dict) -> None:
    label = data["version"]
    taken = model.objects.exclude(status=VersionStatus.DRAFT).filter(version=label).first()
    if taken is not None:
        since = timezone.localtime(taken.effective_from)
        raise PolicyError(
            [
                Problem(
                    None,
                    "version",
                    f"version {label!r} is already published (in force from "
                    f"{since:%Y-%m-%d %H:%M}); give this document a new version label",
                    lines.get(("version",)),
                )
            ]
        )


@transaction.atomic
def create_draft(
    *,
    kind: PolicyKind | str,
    text: str | bytes,
    author: User | None,
    note: str,
    effective_from: datetime,
) -> PolicyVersion:
    """Save a validated document as a draft. A document with any problem raises ``PolicyError``
    listing every problem with its line, rule, field and reason, and nothing is saved."""
    model = VERSION_MODELS[PolicyKind(kind)]
    text, data, lines = _validate(kind, text)
    _check_label_is_free(model, data, lines)
    return model.objects.create(
        version=data["version"],
        source=text,
        digest=content_digest(data),
        author=author,
        author_name="" if author is not None else audit.current().actor_username,
        note=note,
        effective_from=effective_from,
    )


@transaction.atomic
def discard_draft(*, version: PolicyVersion, by: User) -> None:
    """Delete a draft nobody published. Published versions stay forever."""
    version = type(version).objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise Conflict(_("A published version cannot be discarded; publish a new one."))
    version.delete()


# --- the what-if ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A current traveler the draft would treat differently."""

    arrival_id: int
    before: Decision
    after: Decision


@dataclass
class Preview:
    draft: PolicyVersion
    old_rules: RulesVersion
    old_risk: RiskListVersion
    new_rules: RulesVersion
    new_risk: RiskListVersion
    moves: list[Move] = field(default_factory=list)
    travelers: int = 0  # current travelers compared
    unreadable: list[int] = field(default_factory=list)  # arrivals whose facts are incomplete


def _base_versions() -> tuple[RulesVersion, RiskListVersion]:
    """The versions a new one replaces: the last published of each kind (a version scheduled
    for later included, since a newer one can only take effect after it)."""
    rules = selectors.latest_published(RulesVersion)
    risk = selectors.latest_published(RiskListVersion)
    if rules is None or risk is None:
        raise selectors.NoPolicyInForce("no published rules version or risk list yet")
    return rules, risk


def _compare(version: PolicyVersion, chunk_size: int) -> Preview:
    old_rules, old_risk = _base_versions()
    if version.kind == PolicyKind.RULES:
        new_rules, new_risk = version, old_risk
    else:
        new_rules, new_risk = old_rules, version
    result = Preview(version, old_rules, old_risk, new_rules, new_risk)
    old = selectors.compiled(old_rules, old_risk)
    new = selectors.compiled(new_rules, new_risk)

    def readable():
        for arrival_id, facts in selectors.current_travelers_facts(chunk_size):
            result.travelers += 1
            if facts is None:
                result.unreadable.append(arrival_id)
            else:
                yield arrival_id, facts

    result.moves = [Move(key, before, after) for key, before, after in diff(readable(), old, new)]
    return result


def preview(*, draft: PolicyVersion, chunk_size: int = 2000) -> Preview:
    """Every current traveler whose disposition ``draft`` would change, from what to what.

    Compares the policy as it stands once every published version has taken effect with the
    same policy where ``draft`` replaces the version of its kind. Writes nothing.
    """
    return _compare(draft, chunk_size)


# --- publishing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    version: PolicyVersion
    superseded: PolicyVersion | None
    flagged: int  # travelers flagged for an officer to confirm


@transaction.atomic
def publish(*, version: PolicyVersion, by: User | None) -> Published:
    """Publish a draft: from its effective time it is the version of its kind in force.

    1. The draft is re-validated and locked, and so is the last published version of its kind,
       so two administrators publishing at once are serialized.
    2. A draft whose effective time has passed takes effect now, not retroactively: decisions
       already taken keep the version that made them.
    3. It must take effect after every published version of its kind, so versions in force
       form one line in time and exactly one is in force at any moment.
    4. Every current traveler the new version would move is flagged for an officer to confirm
       (``PolicyReview``); nobody is moved silently.
    """
    model = type(version)
    version = model.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise Conflict(_("This version is already published."))
    _validate(version.kind, version.source)
    previous = (
        model.objects.select_for_update()
        .exclude(status=VersionStatus.DRAFT)
        .order_by("-effective_from")
        .first()
    )
    now = timezone.now()
    effective_from = max(version.effective_from, now)
    if previous is not None and effective_from <= previous.effective_from:
        raise Conflict(
            _(
                "Version %(previous)s already takes effect at %(when)s; a new version must take "
                "effect after it."
            )
            % {
                "previous": previous.version,
                "when": f"{timezone.localtime(previous.effective_from):%Y-%m-%d %H:%M}",
            }
        )
    if model.objects.exclude(status=VersionStatus.DRAFT).filter(version=version.version).exists():
        raise Conflict(
            _("A published version is already labelled %(label)s.") % {"label": version.version}
        )

    flagged = _flag_travelers(version, by) if previous is not None else 0

    version.status = VersionStatus.PUBLISHED
    version.effective_from = effective_from
    version.published_at = now
    version.published_by = by
    version.save()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_by = version
        previous.save(update_fields=["status", "superseded_by"])
    return Published(version, previous, flagged)


def _flag_travelers(version: PolicyVersion, by: User | None) -> int:
    """Write a pending review for every current traveler ``version`` would move. A traveler
    still waiting on an earlier review gets the new one instead (the old one is marked
    superseded): the officer decides against the policy that will actually apply."""
    result = _compare(version, chunk_size=2000)
    ids = [move.arrival_id for move in result.moves]
    if not ids:
        return 0
    replaced = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        pending = PolicyReview.objects.filter(arrival_id__in=chunk, status=ReviewStatus.PENDING)
        replaced += list(pending.values_list("pk", flat=True))
    for start in range(0, len(replaced), 500):
        PolicyReview.objects.filter(pk__in=replaced[start : start + 500]).update(
            status=ReviewStatus.SUPERSEDED
        )
    audit.record_many(
        "update", PolicyReview, replaced, note=f"superseded by {version.kind} {version.version}"
    )
    reviews = PolicyReview.objects.bulk_create(
        [
            PolicyReview(
                arrival_id=move.arrival_id,
                from_rules=result.old_rules,
                from_risk_list=result.old_risk,
                to_rules=result.new_rules,
                to_risk_list=result.new_risk,
                old_disposition=move.before.disposition.value,
                new_disposition=move.after.disposition.value,
                old_decision=move.before.as_dict(),
                new_decision=move.after.as_dict(),
            )
            for move in result.moves
        ],
        batch_size=500,
    )
    audit.record_many(
        "create", PolicyReview, [r.pk for r in reviews], note=f"{version.kind} {version.version}"
    )
    return len(reviews)


# --- officers confirm or dismiss what a new version would do (``reviews.decide_reviews``) ---

# Sent (inside the transaction) when an officer confirms a review, with ``review``: the arrival
# pipeline re-disposes the traveler under the new version.
review_confirmed = Signal()


# --- the default policy, loaded with the reference data ---------------------------------------

# Plain names, as the rest of the load report: it reads the same in any language.
_REPORT_NAMES = {PolicyKind.RULES: "rules versions", PolicyKind.RISK_LIST: "risk list versions"}
POLICY_FILES = {
    PolicyKind.RULES: "policy/default-rules.yaml",
    PolicyKind.RISK_LIST: "policy/default-risk-list.yaml",
}


def load_reference_policy(
    directory: Path, report: reference_data.LoadReport, problems: list[reference_data.Problem]
):
    """The reference-data loader of the policy (``liaison.core.reference.register_loader``).

    Checks ``<city>/policy/*.yaml``; returns a writer that publishes each document whose content
    is not yet a version, effective from the moment of loading. A bad file adds its problems
    (file, line, reason) and the whole load is refused. A city folder without ``policy/`` loads
    no policy (its administrators draft and publish the first versions on the policy pages).
    """
    pending: list[tuple[PolicyKind, str, str]] = []
    if not (directory / "policy").is_dir():
        return None
    for kind, name in POLICY_FILES.items():
        path = directory / name
        if not path.exists():
            problems.append(reference_data.Problem(name, 0, "file is missing"))
            continue
        try:
            text, data, lines = _validate(kind, path.read_bytes())
            model = VERSION_MODELS[kind]
            published = model.objects.exclude(status=VersionStatus.DRAFT)
            if published.filter(digest=content_digest(data)).exists():
                report.count(_REPORT_NAMES[kind], "unchanged")
                continue
            _check_label_is_free(model, data, lines)
        except PolicyError as error:
            for problem in error.problems:
                where = [f"rule {problem.rule_id!r}"] if problem.rule_id else []
                where += [problem.field] if problem.field else []
                reason = f"{', '.join(where)}: {problem.reason}" if where else problem.reason
                problems.append(reference_data.Problem(name, problem.line or 0, reason))
            continue
        pending.append((kind, text, name))

    def write() -> None:
        for kind, text, name in pending:
            draft = create_draft(
                kind=kind,
                text=text,
                author=None,
                note=f"Loaded from the reference data ({name}).",
                effective_from=timezone.now(),
            )
            publish(version=draft, by=None)
            report.count(_REPORT_NAMES[kind], "created")

    return write if pending else None
