"""The disposition: the policy's decision for a traveler, an officer's override, and the
consulate's notice.

One decision path: ``decision_for`` turns a traveler's facts into the decision to store (its
rule, explanation and versions) and says whether a current one stands; ``dispose`` writes it for
one traveler, and the save of a laboratory's results file (``results_import``) for a whole set.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.arrivals import events, states
from liaison.arrivals.models import Arrival
from liaison.assistance.consular import draft_for_disposition, draft_for_dispositions
from liaison.core.models import User
from liaison.core.refusals import Refused
from liaison.policy.engine import CompiledPolicy, facts_from_record
from liaison.policy.models import DispositionChoice, RiskListVersion, RulesVersion
from liaison.policy.selectors import NoPolicyInForce, policy_in_force
from liaison.screening.common import S, require_state
from liaison.screening.models import Disposition

# Dispositions that send a foreign national somewhere their consulate should hear about.
NOTIFIED = frozenset(
    {
        DispositionChoice.HOSPITAL,
        DispositionChoice.CENTRALIZED_QUARANTINE,
        DispositionChoice.HOME_QUARANTINE,
    }
)
# Where the disposition may still be decided or overridden: before the handover starts.
UNDISPOSED = (S.SCREENED, S.SAMPLED, S.RESULT)
OVERRIDABLE = (S.SCREENED, S.SAMPLED, S.RESULT, S.DISPOSED)
_UNKNOWN_RESULT_VALUES = (None, "negative", "positive", "inconclusive")

Policy = tuple[RulesVersion, RiskListVersion, CompiledPolicy]


class NotYetDecidable(Refused):
    pass


def policy_or_refuse() -> Policy:
    try:
        return policy_in_force()
    except NoPolicyInForce:
        raise Refused(
            _("No screening policy is in force; ask an administrator."), "policy"
        ) from None


def settled(policy: CompiledPolicy, facts) -> bool:
    """Can the policy decide now? Yes once the test result is known (negative or positive), or
    before it when every possible result leads to the same disposition (under the default
    policy: fever or symptoms send the traveler to hospital whatever the test says)."""
    if facts.test_result in ("negative", "positive"):
        return True
    outcomes = {
        policy.evaluate(dataclasses.replace(facts, test_result=value)).disposition
        for value in _UNKNOWN_RESULT_VALUES
    }
    return len(outcomes) == 1


@dataclass(frozen=True)
class Decision:
    """The policy's decision for one traveler: what is stored and what the move says."""

    disposition: str
    rule_id: str
    record: dict[str, Any]  # the engine's decision and explanation, with the versions' ids
    rules: RulesVersion
    risk: RiskListVersion

    def stands(self, current: Disposition | None) -> bool:
        """The policy's same decision stays current; an override or another one steps down."""
        return current is not None and not current.is_override and current.decision == self.record

    def disposition_of(self, arrival: Arrival, *, by: User | None) -> Disposition:
        """The new current disposition, not yet saved."""
        return Disposition(**self.disposition_values(arrival.pk, by=by))

    def disposition_values(self, arrival_id: int, *, by: User | None) -> dict[str, Any]:
        """The new current disposition's columns (one of a bulk insert: ``bulk_rows``)."""
        return {
            "arrival_id": arrival_id,
            "disposition": self.disposition,
            "decision": self.record,
            "rule_id": self.rule_id,
            "rules_version_id": self.rules.pk,
            "risk_list_version_id": self.risk.pk,
            "decided_by_id": by.pk if by is not None else None,
        }

    def step(self, arrival: Arrival) -> states.Step:
        """The move to "disposition decided", with the rule and versions that decided it."""
        return states.Step(
            arrival,
            data={
                "kind": events.DECIDED,
                "disposition": self.disposition,
                "rule_id": self.rule_id,
                "rules": self.rules.version,
                "risk": self.risk.version,
            },
        )


def decision_for(facts: Mapping[str, Any], policy: Policy) -> Decision | None:
    """The policy's decision for these stored facts, or None while it depends on the test
    result that is not known yet (``settled``)."""
    rules, risk, compiled = policy
    engine_facts = facts_from_record(facts)
    if not settled(compiled, engine_facts):
        return None
    decision = compiled.evaluate(engine_facts)
    return Decision(
        disposition=decision.disposition.value,
        rule_id=decision.rule_id,
        record={
            **decision.as_dict(),
            "rules_version_id": rules.pk,
            "risk_list_version_id": risk.pk,
        },
        rules=rules,
        risk=risk,
    )


def _dispose(arrival: Arrival, *, by: User | None) -> Disposition:
    require_state(
        arrival,
        UNDISPOSED,
        _("A disposition is decided before the handover; this traveler is “%(state)s”."),
    )
    decision = decision_for(arrival.facts, policy_or_refuse())
    if decision is None:
        raise NotYetDecidable(
            _("The disposition depends on the test result, which is not known yet."), "state"
        )
    current = Disposition.objects.select_for_update().filter(arrival=arrival, is_current=True)
    current = current.first()
    same = decision.stands(current)
    if not same:
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        current = decision.disposition_of(arrival, by=by)
        current.save()
    # Decided at screening (before any test) or on the result: the traveler moves on. A
    # traveler still sampled keeps waiting for the result, which decides again.
    if arrival.state in (S.SCREENED, S.RESULT):
        step = decision.step(arrival)
        states.move(arrival, S.DISPOSED, actor=by, where="", why=step.why, data=step.data)
    if not same:
        notify_consulate(arrival=arrival, disposition=current.disposition, decided_by=by)
    return current


def dispose_if_settled(arrival: Arrival, *, by: User | None) -> Disposition | None:
    """``dispose`` inside the caller's transaction, or None while the test result is needed."""
    try:
        return _dispose(arrival, by=by)
    except NotYetDecidable:
        return None


@transaction.atomic
def dispose(*, arrival: Arrival, by: User | None = None) -> Disposition:
    """Decide the traveler's disposition with the policy in force and store it with its
    versions and explanation; a traveler screened or with a result moves to "disposition
    decided".

    Called by the pipeline itself after screening and after each result; raises
    ``Refused`` when the facts do not allow a decision yet (the test result is still needed).
    """
    arrival.facts = Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk)
    return _dispose(arrival, by=by)


@transaction.atomic
def override_disposition(
    *, arrival: Arrival, disposition: str, reason: str, officer: User
) -> Disposition:
    """An officer's different disposition, with their written reason (audited; on the timeline).

    The policy's decision stays on the record it departs from; the override becomes current.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Write the reason for overriding the policy's disposition."), "reason")
    if disposition not in DispositionChoice.values:
        raise Refused(_("Choose a disposition."), "disposition")
    require_state(
        arrival,
        OVERRIDABLE,
        _("Overrides are made before the handover; this traveler is “%(state)s”."),
    )
    current = Disposition.objects.select_for_update().filter(arrival=arrival, is_current=True)
    current = current.first()
    if current is None:
        raise Refused(_("The policy has not decided yet; there is nothing to override."), "state")
    if current.disposition == disposition:
        raise Refused(
            _("The disposition is already “%(value)s”.")
            % {"value": DispositionChoice(disposition).label},
            "disposition",
        )
    current.is_current = False
    current.save(update_fields=["is_current"])
    override = Disposition.objects.create(
        arrival=arrival,
        disposition=disposition,
        decision=current.decision,
        rule_id=current.rule_id,
        rules_version_id=current.rules_version_id,
        risk_list_version_id=current.risk_list_version_id,
        decided_by=officer,
        overridden_by=officer,
        override_reason=reason[:2000],
    )
    notify_consulate(arrival=arrival, disposition=disposition, decided_by=officer)
    return override


def notify_consulate(*, arrival: Arrival, disposition: str, decided_by: User | None = None):
    """Draft the notification to the traveler's consulate, through the assistance desk.

    The hook between the pipeline and the consulate directory: ``draft_for_disposition`` decides
    who is told (foreign nationals, hospital or quarantine, a mission serving them).
    """
    if disposition not in NOTIFIED:
        return None
    return draft_for_disposition(arrival=arrival, disposition=disposition, decided_by=decided_by)


def notify_consulates(*, decided: Iterable[tuple[Arrival, str]], decided_by: User | None = None):
    """``notify_consulate`` for many dispositions at once (a results file), set-based."""
    return draft_for_dispositions(
        decided=[(arrival, value) for arrival, value in decided if value in NOTIFIED],
        decided_by=decided_by,
    )
