"""The laboratory's result for one tube, and what it decides.

``check_tube`` and ``result_step`` are shared with the save of a whole results file
(``results_import``), which writes the same records set-based.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.arrivals import events, states
from liaison.arrivals.models import Arrival
from liaison.core.models import User
from liaison.core.refusals import Refused
from liaison.screening.common import CLOCK_SKEW, S, aware, save_facts
from liaison.screening.dispositions import dispose_if_settled
from liaison.screening.models import Disposition, LabResult, ResultSource, ResultValue, Sample
from liaison.screening.sampling import clean_barcode

RESULT_WORDS = {
    "negative": ResultValue.NEGATIVE,
    "neg": ResultValue.NEGATIVE,
    "-": ResultValue.NEGATIVE,
    "阴性": ResultValue.NEGATIVE,
    "positive": ResultValue.POSITIVE,
    "pos": ResultValue.POSITIVE,
    "+": ResultValue.POSITIVE,
    "阳性": ResultValue.POSITIVE,
    "inconclusive": ResultValue.INCONCLUSIVE,
    "invalid": ResultValue.INCONCLUSIVE,
    "不确定": ResultValue.INCONCLUSIVE,
    "可疑": ResultValue.INCONCLUSIVE,
}


def clean_result_value(value: str) -> ResultValue:
    word = str(value or "").strip().lower()
    if word not in RESULT_WORDS:
        raise Refused(
            _("Unknown result “%(value)s”: use negative, positive or inconclusive.")
            % {"value": str(value or "")[:40]},
            "result",
        )
    return RESULT_WORDS[word]


@dataclass(frozen=True)
class ResultRecorded:
    result: LabResult
    created: bool  # False: the same result for this tube was already recorded; nothing changed
    disposition: Disposition | None = None


@dataclass(frozen=True, slots=True)
class Tube:
    """What checking a result reads of its tube: the tube, the result already recorded for it
    (its value) and its traveler's state. A results file reads these for all its tubes in one
    query (``results_import``), without loading the tubes and travelers as model instances."""

    pk: int
    barcode: str
    arrival_id: int
    superseded: bool
    collected_at: datetime
    state: str
    recorded: str | None

    @classmethod
    def of(cls, sample: Sample) -> Tube:
        existing = getattr(sample, "result", None) if _has_result(sample) else None
        return cls(
            sample.pk,
            sample.barcode,
            sample.arrival_id,
            sample.superseded,
            sample.collected_at,
            sample.arrival.state,
            existing.result if existing is not None else None,
        )


def check_result(
    sample: Sample | None, value: ResultValue, tested_at: datetime
) -> LabResult | None:
    """Refuse what cannot be this tube's result; return the existing one if it is the same."""
    if sample is None:
        raise Refused(_("Unknown tube barcode."), "barcode")
    return sample.result if check_tube(Tube.of(sample), value, tested_at) else None


def check_tube(tube: Tube | None, value: ResultValue, tested_at: datetime) -> bool:
    """``check_result`` of a tube as ``Tube`` reads it: True if this very result is already
    recorded (nothing to do), False if it may be recorded; ``Refused`` if it cannot."""
    if tube is None:
        raise Refused(_("Unknown tube barcode."), "barcode")
    if tube.recorded is not None:
        if tube.recorded == value:
            return True
        raise Refused(
            _("This tube already has a different result (%(result)s).")
            % {"result": ResultValue(tube.recorded).label},
            "result",
        )
    if tube.superseded:
        raise Refused(_("This tube was replaced by a re-sample."), "barcode")
    if tested_at > timezone.now() + CLOCK_SKEW:
        raise Refused(_("The test time is in the future."), "tested_at")
    # Officers and files give minutes: a test in the minute of the sampling is not before it.
    if tested_at < tube.collected_at.replace(second=0, microsecond=0):
        raise Refused(_("The test time is before the sample was collected."), "tested_at")
    if tube.state != S.SAMPLED:
        raise Refused(
            _("The traveler is not waiting for a result (they are “%(state)s”).")
            % {"state": states.label(tube.state)},
            "barcode",
        )
    return False


def _has_result(sample: Sample) -> bool:
    try:
        sample.result  # noqa: B018 - loads the reverse one-to-one
    except LabResult.DoesNotExist:
        return False
    return True


def result_step(arrival: Arrival, barcode: str, value: ResultValue, *, lab: str) -> states.Step:
    """The move sampled → result that a result makes, and what its event says."""
    return states.Step(
        arrival,
        where=lab[:200],
        data={"kind": events.RESULT, "barcode": barcode, "result": str(value)},
    )


@transaction.atomic
def record_result(
    *,
    barcode: str,
    result: str,
    lab: str,
    tested_at: datetime,
    reported_by: User,
    source: ResultSource | str = ResultSource.UI,
) -> ResultRecorded:
    """One laboratory result for one tube, then the disposition if the facts now allow it.

    The same result for the same tube again (a retry) changes nothing; a different one, an
    unknown barcode, an impossible time or an unknown value is refused.
    """
    barcode = clean_barcode(barcode)
    value = clean_result_value(result)
    lab = (lab or "").strip()
    if not lab:
        raise Refused(_("Name the laboratory."), "lab")
    tested_at = aware(tested_at)
    sample = Sample.objects.select_related("arrival").filter(barcode=barcode).first()
    existing = check_result(sample, value, tested_at)
    if existing is not None:
        return ResultRecorded(existing, created=False)
    arrival = sample.arrival
    step = result_step(arrival, sample.barcode, value, lab=lab)
    states.move(
        arrival, S.RESULT, actor=reported_by, where=step.where, why=step.why, data=step.data
    )
    result = LabResult.objects.create(
        sample=sample,
        result=value,
        lab=lab[:200],
        tested_at=tested_at,
        reported_by=reported_by,
        source=source,
    )
    if value == ResultValue.INCONCLUSIVE:
        sample.superseded = True
        sample.save(update_fields=["superseded"])
    record = dict(Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk))
    record["test_result"] = str(value)
    save_facts(arrival, record, "test result")
    disposition = dispose_if_settled(arrival, by=reported_by)
    return ResultRecorded(result, created=True, disposition=disposition)
