"""What-if: which arrivals would a new policy version treat differently?

Officers need to see, before a new risk list or rules version takes effect, which current
travelers it would move. This is the pure core: the caller streams (id, facts) pairs (the
Django side from a queryset) and gets back only the arrivals whose outcome changes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator

from .compile import CompiledPolicy
from .decision import Decision
from .facts import Facts


def diff(
    facts_with_ids: Iterable[tuple[Hashable, Facts]],
    old: CompiledPolicy,
    new: CompiledPolicy,
) -> Iterator[tuple[Hashable, Decision, Decision]]:
    """Yield (id, old decision, new decision) for every arrival whose disposition, quarantine
    length or site type differs between the two policies, in input order.

    A change of deciding rule alone (same outcome) is not a change for the traveler, so it is
    not reported.
    """
    old_evaluate = old.evaluate
    new_evaluate = new.evaluate
    for key, facts in facts_with_ids:
        before = old_evaluate(facts)
        after = new_evaluate(facts)
        # Decision is (compiled rule, facts); compare the precomputed outcome keys directly.
        if before[0].outcome_key != after[0].outcome_key:
            yield key, before, after
