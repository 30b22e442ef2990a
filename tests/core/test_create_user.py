"""``create_user`` refuses bad input, naming the field, and writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from liaison.core import audit, services
from liaison.core.models import AuditEntry, Jurisdiction, Site, User
from liaison.core.roles import Role

pytestmark = pytest.mark.django_db


def create(**changes):
    values = {
        "username": "new-officer",
        "password": "a long pass phrase",
        "role": Role.AIRPORT_DESK,
    }
    values.update(changes)
    with audit.acting_as(username="test"):
        return services.create_user(**values)


def refused_field(**changes) -> set[str]:
    before = (User.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        create(**changes)
    assert (User.objects.count(), AuditEntry.objects.count()) == before
    return set(refused.value.message_dict)


def test_a_role_that_does_not_exist_is_refused(city):
    assert refused_field(role="emperor") == {"role"}


@pytest.mark.parametrize("username", ["", "two words", "<b>x</b>", "x" * 151, "名\x00字"])
def test_a_username_that_is_not_one_is_refused(city, username):
    assert refused_field(username=username) == {"username"}


def test_a_username_taken_is_refused(city):
    create()
    assert refused_field() == {"username"}
    assert User.objects.filter(username="new-officer").count() == 1


def test_a_site_outside_the_officers_jurisdiction_is_refused(city):
    yubei = Jurisdiction.objects.get(code="500112")
    elsewhere = Site.objects.exclude(jurisdiction=yubei).exclude(jurisdiction=None).first()
    assert refused_field(role=Role.DISTRICT_RECEIVING, jurisdiction=yubei, site=elsewhere) == {
        "site"
    }


def test_a_good_account_is_made_with_its_role(city):
    user = create(full_name="李明")
    assert (user.role, user.first_name, user.is_staff) == (Role.AIRPORT_DESK, "李明", False)
    assert user.check_password("a long pass phrase")
