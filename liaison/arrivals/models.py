"""An inbound traveler's arrival, its declared versions, its events, flights and manifests."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from liaison.arrivals.choices import Category, DestinationKind, DocumentType, Sex, Source
from liaison.arrivals.states import ArrivalState
from liaison.core.models import Jurisdiction, PortOfEntry
from liaison.core.names import language_of, native_name

__all__ = ["Category", "DestinationKind", "DocumentType", "Sex", "Source"]
from liaison.core.tracking import AuditedModel

# No 0/O, 1/I/L: a code read aloud at a desk or typed from a screen must not be misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_status_token() -> str:
    return secrets.token_urlsafe(24)


class Flight(models.Model):
    """One flight arriving at a port of entry on one day (the local date of arrival)."""

    number = models.CharField(_("flight"), max_length=10)
    date = models.DateField(_("arrival date"))
    port = models.ForeignKey(
        PortOfEntry, models.PROTECT, related_name="flights", verbose_name=_("port of entry")
    )
    origin = models.CharField(_("origin"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "number"]
        verbose_name = _("flight")
        verbose_name_plural = _("flights")
        constraints = [
            models.UniqueConstraint(fields=["number", "date", "port"], name="flight_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.date:%Y-%m-%d}"


class Arrival(AuditedModel):
    """One inbound traveler on one flight, always in exactly one state of the pipeline."""

    state = models.CharField(
        _("state"), max_length=20, choices=ArrivalState.choices, default=ArrivalState.DECLARED
    )
    # Unique by constraints in Meta, not unique=True: on PostgreSQL that would add a second index
    # for LIKE queries to each, and nothing looks these up but by equality.
    code = models.CharField(_("declaration code"), max_length=CODE_LENGTH)
    status_token = models.CharField(max_length=64, editable=False)

    surname_native = models.CharField(
        _("surname (as in your own script)"), max_length=100, blank=True
    )
    given_names_native = models.CharField(_("given names (own script)"), max_length=100, blank=True)
    surname_latin = models.CharField(_("surname (Latin letters)"), max_length=100)
    given_names_latin = models.CharField(
        _("given names (Latin letters)"), max_length=100, blank=True
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    nationality = CountryField(_("nationality"))
    document_type = models.CharField(
        _("document type"), max_length=32, choices=DocumentType.choices
    )
    # Upper case without spaces or dashes, so that "e 1234-567" and "E1234567" are one document.
    document_number = models.CharField(_("document number"), max_length=20)
    mrz = models.CharField(_("machine-readable zone"), max_length=100, blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    flight = models.ForeignKey(
        Flight, models.PROTECT, related_name="arrivals", verbose_name=_("flight")
    )
    seat = models.CharField(_("seat"), max_length=4, blank=True)
    arrival_date = models.DateField(_("arrival date"))
    category = models.CharField(
        pgettext_lazy("traveler category", "category"), max_length=20, choices=Category.choices
    )
    accreditation_number = models.CharField(_("accreditation number"), max_length=40, blank=True)
    purpose = models.CharField(_("purpose of travel"), max_length=200, blank=True)
    # [{"country", "city", "date_from", "date_to"}] and [{"country", "city", "on"}], ISO dates.
    history = models.JSONField(_("residence and travel history"), default=list)
    transits = models.JSONField(_("transit points"), default=list)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    contact_with_cases = models.BooleanField(_("contact with cases"), default=False)
    pregnant = models.BooleanField(_("pregnant"), default=False)
    severe_condition = models.BooleanField(_("severe condition"), default=False)
    unaccompanied_minor = models.BooleanField(_("minor travelling alone"), default=False)

    destination_kind = models.CharField(
        _("destination"), max_length=10, choices=DestinationKind.choices
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="arrivals",
        verbose_name=_("destination jurisdiction"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    onward_destination = models.CharField(_("onward destination"), max_length=200, blank=True)
    onward_departure = models.DateTimeField(_("onward departure"), null=True, blank=True)

    consented_at = models.DateTimeField(_("attested at"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    # The policy engine's facts (liaison.policy.engine.facts_to_record), rebuilt by the services
    # whenever a declared fact changes. A plain column: the what-if preview reads it for 100,000
    # travelers without touching any other table.
    facts = models.JSONField(_("facts"), default=dict)
    created_at = models.DateTimeField(_("declared"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("arrival")
        verbose_name_plural = _("arrivals")
        constraints = [
            # The flight first: a flight's travelers are then neighbours in this index, as they
            # are in the table, so that a retention batch (consecutive arrivals, so a few
            # flights) rewrites a few of its pages, not nearly all of them as random document
            # numbers leading it did. Lookups name all four columns; the order is free.
            models.UniqueConstraint(
                fields=["flight", "document_type", "document_number", "arrival_date"],
                name="one_arrival_per_document_flight_day",
            ),
            models.UniqueConstraint(fields=["code"], name="arrival_code_unique"),
            models.UniqueConstraint(fields=["status_token"], name="arrival_status_token_unique"),
        ]
        indexes = [
            models.Index(fields=["state"], name="arrival_state"),
            models.Index(fields=["arrival_date", "state"], name="arrival_day_state"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def name_latin(self) -> str:
        return f"{self.surname_latin} {self.given_names_latin}".strip()

    @property
    def name_native(self) -> str:
        """The name in its own script, as that script writes it ("김민준", "Иван Петров")."""
        return native_name(self.surname_native, self.given_names_native)

    @property
    def name_native_language(self) -> str:
        """The language tag of the native name ("ko", "fa"; "" when its script says nothing)."""
        return language_of(self.name_native, self.nationality.code or "")


class DeclarationRevision(models.Model):
    """Every version a traveler (or an officer for them) submitted, kept as it was validated."""

    # No index of its own: the unique (arrival, number) constraint's index serves it.
    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="revisions", db_index=False)
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("declaration"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    # Why an officer changed a traveler's declaration (``conflicts.amend``); empty for the
    # traveler's own versions.
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["arrival", "number"]
        verbose_name = _("declaration version")
        verbose_name_plural = _("declaration versions")
        constraints = [
            models.UniqueConstraint(fields=["arrival", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.arrival_id} v{self.number}"


class ConflictingDeclaration(AuditedModel):
    """A declaration that claims an existing arrival's document, flight and day without the proof
    that it is the traveler's (their private status link).

    It changes nothing in the arrival: it waits beside it, flagged for the desk, until an officer
    resolves it with a written reason — dismissed, or applied to the arrival (``conflicts``).
    The same data submitted again for the same arrival is this one row (the fingerprint).
    """

    class Resolution(models.TextChoices):
        OPEN = "open", _("Open: the desk checks it")
        DISMISSED = "dismissed", _("Dismissed")
        APPLIED = "applied", _("Applied to the declaration")
        IDENTICAL = "identical", _("Same as the declaration on file")

    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="conflicts")
    # The submitter's receipt: not the arrival's code, and no link to anything.
    reference = models.CharField(_("reference"), max_length=CODE_LENGTH)
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField(_("declaration"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, default=Resolution.OPEN
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # The version that applying it made.
    revision = models.ForeignKey(
        DeclarationRevision, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["arrival", "submitted_at", "id"]
        verbose_name = _("conflicting declaration")
        verbose_name_plural = _("conflicting declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["arrival", "fingerprint"], name="one_conflict_per_submitted_data"
            ),
            models.UniqueConstraint(fields=["reference"], name="conflict_reference_unique"),
        ]
        indexes = [models.Index(fields=["resolution"], name="conflict_resolution")]

    def __str__(self) -> str:
        return self.reference

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:4]}-{self.reference[4:]}"

    @property
    def is_open(self) -> bool:
        return self.resolution == self.Resolution.OPEN


class ArrivalEvent(models.Model):
    """One move of an arrival through the pipeline (written only by ``states.move``/``begin``)."""

    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=ArrivalState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    where = models.CharField(_("where"), max_length=200, blank=True)
    why = models.CharField(_("why"), max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["arrival", "at", "id"]
        verbose_name = _("arrival event")
        verbose_name_plural = _("arrival events")

    def __str__(self) -> str:
        return f"{self.arrival_id} {self.from_state or '-'} -> {self.to_state}"

    @property
    def reason(self) -> str:
        """``why``, or the sentence of the event's code in the reader's language."""
        from liaison.arrivals.events import describe

        return describe(self)

    @property
    def place(self) -> str:
        """``where``, or the named place in the reader's language."""
        from liaison.arrivals.events import place

        return place(self)


class IdempotencyRecord(models.Model):
    """The first answer to a request carrying a client's idempotency key, to replay on retries."""

    key = models.CharField(max_length=100)  # unique: see Meta
    fingerprint = models.CharField(max_length=64)
    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="+")
    revision = models.ForeignKey(DeclarationRevision, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key


class ManifestEntry(models.Model):
    """A passenger an airline says is on a flight: an expected arrival."""

    flight = models.ForeignKey(Flight, models.CASCADE, related_name="manifest")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=20)
    seat = models.CharField(_("seat"), max_length=4, blank=True)
    line = models.PositiveIntegerField(_("line"))
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["flight", "line"]
        verbose_name = _("manifest entry")
        verbose_name_plural = _("manifest entries")
        constraints = [
            models.UniqueConstraint(
                fields=["flight", "document_number"], name="one_manifest_entry_per_document"
            )
        ]

    def __str__(self) -> str:
        return f"{self.flight} {self.line}"
