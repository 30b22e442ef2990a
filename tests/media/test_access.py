"""Who may use the media desk: the liaison desk writes, leadership reads, every other role is
refused every page and operation (and sees nothing of it on a bureau's page)."""

import json

import pytest
from django.test import Client

from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from liaison.media import releases
from liaison.media.models import MediaRequest, PressRelease
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(media_officer):
    return releases.draft_release(title_zh="标题", title_en="Title", by=media_officer)


def read_pages(request, release):
    return [
        "/media-desk/",
        "/media-desk/?format=csv",
        "/media-desk/mine/",
        "/media-desk/bureaus/",
        f"/media-desk/requests/{request.pk}/",
        "/media-desk/releases/",
        f"/media-desk/releases/{release.pk}/",
        "/api/v1/media/bureaus",
        "/api/v1/media/requests",
        f"/api/v1/media/requests/{request.pk}",
        "/api/v1/media/releases",
        f"/api/v1/media/releases/{release.pk}",
    ]


def write_pages(request, release):
    return [
        "/media-desk/requests/new/",
        f"/media-desk/requests/{request.pk}/correct/",
        f"/media-desk/requests/{request.pk}/answer/",
        f"/media-desk/requests/{request.pk}/decline/",
        f"/media-desk/requests/{request.pk}/withdraw/",
        "/media-desk/releases/new/",
        f"/media-desk/releases/{release.pk}/edit/",
    ]


def writes(request, release):
    """Each write, page and API, with a body that would succeed for the desk."""
    return [
        (f"/media-desk/requests/{request.pk}/withdraw/", {"reason": "x"}, False),
        (f"/media-desk/requests/{request.pk}/decline/", {"reason": "x"}, False),
        (f"/media-desk/releases/{release.pk}/publish/", {}, False),
        (f"/api/v1/media/requests/{request.pk}/withdrawal", {"reason": "x"}, True),
        (f"/api/v1/media/requests/{request.pk}/decline", {"reason": "x"}, True),
        (f"/api/v1/media/releases/{release.pk}/publication", {}, True),
        (f"/api/v1/media/releases/{release.pk}/edits", {"title_en": "Other"}, True),
    ]


def _post(client, path, body, as_json):
    if as_json:
        return client.post(path, json.dumps(body), content_type="application/json")
    return client.post(path, body)


def unchanged(request, release):
    request.refresh_from_db()
    release.refresh_from_db()
    return (
        request.status == "assigned"
        and request.events.count() == 2
        and not release.published
        and release.title_en == "Title"
    )


@pytest.mark.parametrize(
    "role",
    [
        Role.AIRPORT_DESK,
        Role.SAMPLING,
        Role.LAB,
        Role.DISPATCH,
        Role.ASSISTANCE,
        Role.AID,
        Role.EXCHANGES,
        Role.DUTY,
        Role.ADMINISTRATOR,
        "",
    ],
)
def test_other_roles_are_refused_every_page_and_operation(role, interview, release, kyodo):
    user = make_user(f"someone-{role or 'none'}", role)
    client = sign_in(Client(), user)
    # A user without a role is no API client at all (401); every role is refused (403).
    api_refusal = 401 if not role else 403
    for path in read_pages(interview, release) + write_pages(interview, release):
        expected = api_refusal if path.startswith("/api/") else 403
        assert client.get(path).status_code == expected, path
    for path, body, as_json in writes(interview, release):
        expected = api_refusal if as_json else 403
        assert _post(client, path, body, as_json).status_code == expected, path
    assert unchanged(interview, release)
    if role:
        assert AuditEntry.objects.filter(action="denied", actor_username=user.username).exists()
    if role in (Role.ASSISTANCE, Role.AID, Role.EXCHANGES, Role.DUTY):  # they read the directory
        page = client.get(f"/directory/{kyodo.pk}/").content.decode()
        assert 'data-testid="organization-media"' not in page
        assert interview.subject not in page


def test_leadership_reads_but_cannot_write(director_general, interview, release, kyodo):
    client = sign_in(Client(), director_general)
    for path in read_pages(interview, release):
        assert client.get(path).status_code == 200, path
    for path in write_pages(interview, release):
        assert client.get(path).status_code == 403, path
    for path, body, as_json in writes(interview, release):
        assert _post(client, path, body, as_json).status_code == 403, path
    assert unchanged(interview, release)
    page = client.get(f"/directory/{kyodo.pk}/").content.decode()
    assert interview.subject in page
    home = client.get("/")
    assert "Media requests assigned to you" not in {w.label for w in home.context["waiting"]}


def test_the_liaison_desk_reads_and_writes(media_officer, interview, release):
    client = sign_in(Client(), media_officer)
    for path in read_pages(interview, release) + write_pages(interview, release):
        assert client.get(path).status_code == 200, path
    assert (
        client.post(f"/media-desk/requests/{interview.pk}/withdraw/", {"reason": "x"}).status_code
        == 302
    )
    assert (
        client.post(f"/media-desk/releases/{release.pk}/publish/", {"published_at": ""}).status_code
        == 400
    )
    assert MediaRequest.objects.get().status == "withdrawn"
    assert not PressRelease.objects.get().published  # no English text: nothing published


def test_an_anonymous_client_is_sent_to_sign_in_or_refused(interview):
    client = Client()
    response = client.get("/media-desk/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/media/requests").status_code == 401
