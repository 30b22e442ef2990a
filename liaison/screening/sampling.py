"""Sampling: one tube per traveler, identified by its barcode (again only after an inconclusive
result)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.arrivals import events, states
from liaison.arrivals.models import Arrival
from liaison.core.models import Site, User
from liaison.core.refusals import Refused
from liaison.screening.common import S, not_in_future, save_facts
from liaison.screening.models import Sample


def clean_barcode(barcode: str) -> str:
    value = (barcode or "").strip()
    if not value:
        raise Refused(_("Scan the tube barcode."), "barcode")
    if len(value) > 40 or not all(c.isalnum() or c in "-_." for c in value):
        raise Refused(_("A tube barcode is up to 40 letters, digits, dashes or dots."), "barcode")
    return value


@transaction.atomic
def register_sample(
    *,
    arrival: Arrival,
    barcode: str,
    site: Site,
    collector: User,
    collected_at: datetime | None = None,
) -> Sample:
    """The sample in one tube. A barcode is used once; a traveler is sampled once, except after
    an inconclusive result (the old tube is then replaced)."""
    barcode = clean_barcode(barcode)
    if site is None or site.kind != Site.Kind.SAMPLING_SITE:
        raise Refused(_("Choose a sampling site."), "site")
    collected_at = not_in_future(collected_at or timezone.now(), "collected_at")
    used = Sample.objects.filter(barcode=barcode).first()
    if used is not None:
        raise Refused(
            _("The tube barcode %(barcode)s is already used; take a new tube.")
            % {"barcode": barcode},
            "barcode",
        )
    if arrival.state == S.SAMPLED:
        raise Refused(
            _(
                "This traveler was already sampled; a second sample is taken only after an "
                "inconclusive result."
            ),
            "state",
        )
    if arrival.state == S.DISPOSED:
        raise Refused(
            _("The policy already decided this traveler's disposition; no sample is taken."),
            "state",
        )
    resample = arrival.state == S.RESULT
    if resample and Sample.objects.filter(arrival=arrival, superseded=False).exists():
        raise Refused(
            _("This traveler has a result; a re-sample follows only an inconclusive one."),
            "state",
        )
    states.move(
        arrival,
        S.SAMPLED,
        actor=collector,
        where=site.name,
        data={
            "kind": events.RESAMPLED if resample else events.SAMPLED,
            "barcode": barcode,
            "site": site.code,
        },
    )
    try:
        with transaction.atomic():
            sample = Sample.objects.create(
                arrival=arrival,
                barcode=barcode,
                site=site,
                collector=collector,
                collected_at=collected_at,
            )
    except IntegrityError:
        # Another desk used the same tube at the same moment.
        raise Refused(
            _("The tube barcode %(barcode)s is already used; take a new tube.")
            % {"barcode": barcode},
            "barcode",
        ) from None
    if resample:
        record = dict(Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk))
        record["test_result"] = None
        save_facts(arrival, record, "re-sample")
    return sample
