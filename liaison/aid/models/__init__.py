"""The aid desk's models, one module per domain step: the catalogue, donations, shipments,
letters."""

from liaison.aid.models.catalogue import (
    Category,
    Certificate,
    CertificateKind,
    Equivalence,
    Item,
    Lot,
    PackSize,
    Unit,
)
from liaison.aid.models.donations import (
    Direction,
    Donation,
    DonationEvent,
    DonationLine,
    DonationStatus,
    EventCode,
)
from liaison.aid.models.letters import Letter, LetterEvent, LetterKind, LetterStatus
from liaison.aid.models.shipments import Allocation, Batch, BatchLine, Stock

__all__ = [
    "Allocation",
    "Batch",
    "BatchLine",
    "Category",
    "Certificate",
    "CertificateKind",
    "Direction",
    "Donation",
    "DonationEvent",
    "DonationLine",
    "DonationStatus",
    "Equivalence",
    "EventCode",
    "Item",
    "Letter",
    "LetterEvent",
    "LetterKind",
    "LetterStatus",
    "Lot",
    "PackSize",
    "Stock",
    "Unit",
]
