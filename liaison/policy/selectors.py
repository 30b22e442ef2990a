"""Reads of the screening policy: which versions are in force, compiled and cached.

"In force" is derived, never stored: of the published versions of one kind, the one with the
latest ``effective_from`` not after the moment asked about. A version published today to take
effect tomorrow therefore comes into force at midnight on every app server without anyone
touching the database.

Compiling a policy costs far more than deciding an arrival, so each process keeps its compiled
policies keyed by the two versions' ids and content digests. Versions are immutable once
published, so such a key names one compiled policy forever: the only thing read from the
database on each call is which two versions are in force (one small indexed query per kind),
and several app servers agree without sharing a cache. (The digest is in the key too because an
id alone can come back after a rolled-back transaction, in SQLite and in tests.)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django_countries import countries

from liaison.core import audit
from liaison.core.access import Area, can, jurisdiction_filter
from liaison.core.normalize import country_name
from liaison.policy.engine import (
    CompiledPolicy,
    Decision,
    Facts,
    RiskList,
    RuleSet,
    compile_policy,
    facts_from_record,
    load_risk_list,
    load_rules,
    render_reason,
)
from liaison.policy.models import (
    VERSION_MODELS,
    PolicyKind,
    PolicyReview,
    PolicyVersion,
    ReviewStatus,
    RiskListVersion,
    RulesVersion,
    VersionStatus,
)


class NoPolicyInForce(LookupError):  # noqa: N818 - says what it is
    """No published rules version or no published risk list is in force at that moment."""


def known_countries() -> frozenset[str]:
    """The country codes policy documents may use: django-countries' list, as everywhere."""
    return frozenset(code for code, _name in countries)


# --- versions in force ---------------------------------------------------------------------


def _published(model: type[PolicyVersion]) -> QuerySet:
    return model.objects.exclude(status=VersionStatus.DRAFT)


def version_in_force(model: type[PolicyVersion], at: datetime | None = None):
    """The version of this kind in force at ``at`` (now by default), or None."""
    at = at or timezone.now()
    return _published(model).filter(effective_from__lte=at).order_by("-effective_from").first()


def latest_published(model: type[PolicyVersion]):
    """The version of this kind that is, or will be, in force last (scheduled ones included)."""
    return _published(model).order_by("-effective_from").first()


# --- compiling, once per process per version --------------------------------------------------

_CACHE_SIZE = 16
_lock = threading.Lock()
_documents: OrderedDict[tuple, RuleSet | RiskList] = OrderedDict()
_compiled: OrderedDict[tuple, CompiledPolicy] = OrderedDict()


def _remember(cache: OrderedDict, key, make):
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()  # outside the lock: two threads may compile at once, both get an equal value
    with _lock:
        cache[key] = value
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return value


def parsed_document(version: PolicyVersion) -> RuleSet | RiskList:
    """The validated document of a version. Drafts are parsed every time (they are few and may
    be discarded); published versions are parsed once per process."""

    def parse():
        load = load_rules if version.kind == PolicyKind.RULES else load_risk_list
        return load(version.source, known_countries=known_countries())

    if version.is_draft:
        return parse()
    return _remember(_documents, (version.kind, version.pk, version.digest), parse)


def compiled(rules: RulesVersion, risk: RiskListVersion) -> CompiledPolicy:
    """The compiled policy of a rules version and a risk list."""

    def build():
        return compile_policy(parsed_document(rules), parsed_document(risk))

    if rules.is_draft or risk.is_draft:
        return build()
    return _remember(_compiled, (rules.pk, rules.digest, risk.pk, risk.digest), build)


def clear_cache() -> None:
    with _lock:
        _documents.clear()
        _compiled.clear()


def policy_in_force(
    at: datetime | None = None,
) -> tuple[RulesVersion, RiskListVersion, CompiledPolicy]:
    """The rules version and risk list in force at ``at`` (now by default), and their compiled
    policy. Raises ``NoPolicyInForce`` when either is missing (before any version takes
    effect)."""
    at = at or timezone.now()
    rules = version_in_force(RulesVersion, at)
    risk = version_in_force(RiskListVersion, at)
    if rules is None or risk is None:
        missing = "rules" if rules is None else "risk list"
        raise NoPolicyInForce(f"no published {missing} version is in force at {at.isoformat()}")
    return rules, risk, compiled(rules, risk)


def fever_threshold_in_force(at: datetime | None = None) -> Decimal | None:
    """The temperature (°C) the rules in force read as a fever (their lowest
    ``temperature_at_least``), or None: no rules in force, or rules that read no temperature."""
    rules = version_in_force(RulesVersion, at or timezone.now())
    if rules is None:
        return None
    threshold = parsed_document(rules).fever_threshold
    return None if threshold is None else Decimal(str(threshold)).quantize(Decimal("0.1"))


def rule_titles(record: dict) -> dict:
    """Rule titles ({rule id: {lang: title}}) of the rules version a stored decision names."""
    queryset = RulesVersion.objects.exclude(status=VersionStatus.DRAFT)
    version = None
    if record.get("rules_version_id"):
        version = queryset.filter(pk=record["rules_version_id"]).first()
    if version is None and record.get("rules_version"):
        version = queryset.filter(version=record["rules_version"]).first()
    if version is None:
        return {}
    return {rule.id: rule.title for rule in parsed_document(version).rules if rule.title}


# --- what each user may see -------------------------------------------------------------------


def versions_visible_to(user, kind: PolicyKind | str) -> QuerySet[PolicyVersion]:
    model = VERSION_MODELS[kind]
    queryset = model.objects.select_related("author", "published_by", "superseded_by")
    return queryset if can(user, Area.POLICY) else queryset.none()


@dataclass(frozen=True)
class VersionRow:
    version: PolicyVersion
    in_force: bool
    scheduled: bool  # published, takes effect later


def version_history(user, kind: PolicyKind | str) -> list[VersionRow]:
    """Every version of one kind, newest first, with which one is in force and which wait."""
    versions = list(versions_visible_to(user, kind))
    model = VERSION_MODELS[kind]
    current = version_in_force(model) if versions else None
    now = timezone.now()
    return [
        VersionRow(
            version=v,
            in_force=current is not None and v.pk == current.pk,
            scheduled=not v.is_draft and v.effective_from > now,
        )
        for v in versions
    ]


# --- current travelers, for the what-if -------------------------------------------------------


def current_travelers_facts(chunk_size: int = 2000) -> Iterator[tuple[int, Facts | None]]:
    """(arrival id, facts) of every traveler still in the pipeline, streamed from one column.

    "Current" means not in an end state of the pipeline (released, in hospital, left the city):
    the end states come from the state table itself, so a state added there is counted right.
    Facts that cannot be read (an empty record of a declaration still being entered) come as
    None, so the caller can count them rather than guess.
    """
    from liaison.arrivals.models import Arrival
    from liaison.arrivals.states import ENDS

    rows = (
        Arrival.objects.exclude(state__in=list(ENDS))
        .order_by()
        .values_list("id", "facts")
        .iterator(chunk_size=chunk_size)
    )
    for arrival_id, record in rows:
        try:
            yield arrival_id, facts_from_record(record)
        except (KeyError, TypeError, ValueError):
            yield arrival_id, None


def travelers_by_id(user, ids: list[int]) -> dict:
    """The arrivals among ``ids`` this user may see, by id; each read goes to the audit trail."""
    from liaison.arrivals.models import Arrival

    if not ids or not can(user, Area.POLICY):
        return {}
    arrivals = Arrival.objects.filter(pk__in=ids).filter(jurisdiction_filter(user))
    found = {
        a.pk: a
        for a in arrivals.only(
            "id",
            "code",
            "state",
            "surname_latin",
            "given_names_latin",
            "nationality",
            "jurisdiction",
        )
    }
    audit.record_reads(Arrival, found, note="policy what-if")
    return found


# --- words for pages --------------------------------------------------------------------------


def titles_of(decision: Decision) -> dict:
    return {r.id: r.title for r in decision.policy.rule_set.rules if r.title}


def why(decision: Decision) -> str:
    """Why the deciding rule applies, in the page's language: its reasons, one sentence."""
    language = translation.get_language() or "en"
    matched = decision.reasons[-1]
    separator = "；" if language.startswith("zh") else "; "
    return separator.join(
        render_reason(r.code, r.params, language, country_name) for r in matched.reasons
    )


def why_record(record: dict) -> str:
    """``why`` for a stored decision record (``Decision.as_dict()``)."""
    language = translation.get_language() or "en"
    matched = record["reasons"][-1]
    separator = "；" if language.startswith("zh") else "; "
    return separator.join(
        render_reason(r["code"], r["params"], language, country_name) for r in matched["reasons"]
    )


# --- the review queue -------------------------------------------------------------------------


def reviews_visible_to(user) -> QuerySet[PolicyReview]:
    """Flagged travelers this officer may confirm or dismiss, waiting ones first."""
    if not can(user, Area.POLICY_REVIEW):
        return PolicyReview.objects.none()
    return (
        PolicyReview.objects.filter(jurisdiction_filter(user, "arrival__jurisdiction"))
        .select_related(
            "arrival", "from_rules", "from_risk_list", "to_rules", "to_risk_list", "decided_by"
        )
        .order_by("-created_at", "-id")
    )


def pending_reviews_visible_to(user) -> QuerySet[PolicyReview]:
    return reviews_visible_to(user).filter(status=ReviewStatus.PENDING)


def flagging_versions(user) -> list[PolicyVersion]:
    """The versions whose publishing flagged a review this officer may see, newest first: the
    choices of the queue's version filter."""
    visible = reviews_visible_to(user)
    rules = RulesVersion.objects.filter(
        pk__in=visible.exclude(to_rules=F("from_rules")).values("to_rules")
    )
    risk = RiskListVersion.objects.filter(
        pk__in=visible.exclude(to_risk_list=F("from_risk_list")).values("to_risk_list")
    )
    return sorted([*rules, *risk], key=lambda v: v.effective_from, reverse=True)


def filter_reviews(
    reviews: QuerySet[PolicyReview],
    *,
    version: PolicyVersion | None = None,
    old: str = "",
    new: str = "",
) -> QuerySet[PolicyReview]:
    """The reviews one version flagged (it replaced the version of its kind), moving from the
    disposition ``old`` to ``new`` (either may be empty: any)."""
    if isinstance(version, RulesVersion):
        reviews = reviews.filter(to_rules=version).exclude(from_rules=version)
    elif isinstance(version, RiskListVersion):
        reviews = reviews.filter(to_risk_list=version).exclude(from_risk_list=version)
    if old:
        reviews = reviews.filter(old_disposition=old)
    if new:
        reviews = reviews.filter(new_disposition=new)
    return reviews
