"""The policy's API: which versions are in force (for systems that show or check decisions)."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from liaison.core.access import Area
from liaison.core.api_auth import require_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.policy import selectors

router = Router(tags=["policy"])


class VersionOut(Schema):
    id: int
    version: str
    effective_from: datetime
    digest: str


class InForceOut(Schema):
    rules: VersionOut
    risk_list: VersionOut


def _out(version) -> VersionOut:
    return VersionOut(
        id=version.pk,
        version=version.version,
        effective_from=version.effective_from,
        digest=version.digest,
    )


@router.get(
    "/policy/in-force",
    response={200: InForceOut, 404: Errors, **REFUSALS},
    summary="The policy versions in force now",
)
def in_force(request):
    require_area(request, Area.POLICY)
    try:
        rules, risk, _policy = selectors.policy_in_force()
    except selectors.NoPolicyInForce as error:
        raise HttpError(404, _("No policy version is in force yet.")) from error
    return InForceOut(rules=_out(rules), risk_list=_out(risk))
