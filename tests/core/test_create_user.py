"""``create_user`` refuses bad input, naming the field, and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

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


def refused(**changes) -> dict[str, list[str]]:
    """The messages, field by field, that refuse these changes; nothing was written."""
    before = (User.objects.count(), AuditEntry.objects.count())
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            create(**changes)
        messages = {field: [str(m) for m in told] for field, told in refused.value}
    assert (User.objects.count(), AuditEntry.objects.count()) == before
    return messages


NOT_A_USERNAME = (
    "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ "
    "characters."
)


def test_a_role_that_does_not_exist_is_refused(city):
    assert refused(role="emperor") == {"role": ["Value 'emperor' is not a valid choice."]}


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "This field cannot be blank."),
        ("two words", NOT_A_USERNAME),
        ("<b>x</b>", NOT_A_USERNAME),
        ("x" * 151, "Ensure this value has at most 150 characters (it has 151)."),
        ("名\x00字", NOT_A_USERNAME),
    ],
)
def test_a_username_that_is_not_one_is_refused(city, username, message):
    assert refused(username=username) == {"username": [message]}


def test_a_username_taken_is_refused(city):
    create()
    assert refused() == {"username": ["A user with that username already exists."]}
    assert User.objects.filter(username="new-officer").count() == 1


def test_a_site_outside_the_officers_jurisdiction_is_refused(city):
    yubei = Jurisdiction.objects.get(code="500112")
    elsewhere = Site.objects.exclude(jurisdiction=yubei).exclude(jurisdiction=None).first()
    assert refused(role=Role.DISTRICT_RECEIVING, jurisdiction=yubei, site=elsewhere) == {
        "site": ["The site is not in the user's jurisdiction."]
    }


def test_a_good_account_is_made_with_its_role(city):
    user = create(full_name="李明")
    assert (user.role, user.first_name, user.is_staff) == (Role.AIRPORT_DESK, "李明", False)
    assert user.check_password("a long pass phrase")
