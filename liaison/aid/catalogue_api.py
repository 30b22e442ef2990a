"""The aid desk's catalogue in the API: items with their standards, units, packs and
equivalences; lots and their certificates (a PDF or an image, else 400). Mounted under the
desk's router (``aid/api.py``)."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from liaison.aid import lots, selectors
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiId

router = Router(tags=["aid"])


class LotIn(Schema):
    item_id: ApiId
    number: str = Field(max_length=80)
    manufacturer: str = Field("", max_length=200)
    expires_on: ApiDate | None = None


class PackOut(Schema):
    unit: str
    units: int


class CertificateOut(Schema):
    id: int
    kind: str
    number: str
    file_name: str
    content_type: str


class LotOut(Schema):
    id: int
    item_id: int
    number: str
    manufacturer: str
    expires_on: date | None
    certificates: list[CertificateOut]


class CatalogueItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    standard: str
    equivalence: str
    equivalents: list[str]
    unit: str
    packs: list[PackOut]


def _lot_out(lot) -> dict:
    return {
        "id": lot.pk,
        "item_id": lot.item_id,
        "number": lot.number,
        "manufacturer": lot.manufacturer,
        "expires_on": lot.expires_on,
        "certificates": [
            {
                "id": c.pk,
                "kind": c.kind,
                "number": c.number,
                "file_name": c.file_name,
                "content_type": c.content_type,
            }
            for c in lot.certificates.all()
        ],
    }


@router.get(
    "/aid/items",
    response={200: list[CatalogueItemOut], **REFUSALS},
    summary="The item catalogue: standards, units, packs, equivalences",
)
@api_area(Area.AID_READ)
def item_list(request):
    return [
        {
            "id": i.pk,
            "code": i.code,
            "name": i.name,
            "category": i.category,
            "standard": i.standard,
            "equivalence": i.equivalence,
            "equivalents": [e.code for e in i.equivalents()],
            "unit": i.unit,
            "packs": [{"unit": p.unit, "units": p.units} for p in i.packs.all()],
        }
        for i in selectors.catalogue()
    ]


@router.get(
    "/aid/lots", response={200: list[LotOut], **REFUSALS}, summary="Lots and their certificates"
)
@api_area(Area.AID_READ)
def lot_list(request):
    return [_lot_out(lot) for lot in selectors.lots_visible_to(request.auth)]


@router.post(
    "/aid/lots", response={201: LotOut, 400: Errors, **REFUSALS}, summary="Add a lot of an item"
)
@api_area(Area.AID)
def add_lot(request, body: LotIn):
    lot = lots.add_lot(
        item=body.item_id,
        number=body.number,
        manufacturer=body.manufacturer,
        expires_on=body.expires_on,
        by=request.auth,
    )
    return Status(201, _lot_out(lot))


@router.post(
    "/aid/lots/{lot_id}/certificates",
    response={201: LotOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="Attach a certificate (a PDF or an image) to a lot",
)
@api_area(Area.AID)
def attach_certificate(
    request,
    lot_id: ApiId,
    kind: Form[str],
    file: File[UploadedFile],
    number: Form[str] = "",
):
    lot = get_object_or_404(selectors.lots_visible_to(request.auth), pk=lot_id)
    lots.attach_certificate(lot=lot, kind=kind, number=number, upload=file, by=request.auth)
    return Status(
        201, _lot_out(get_object_or_404(selectors.lots_visible_to(request.auth), pk=lot_id))
    )
