"""The icon browsers ask for: served at /favicon.ico and as a static file, named by every page."""

import pytest


@pytest.mark.django_db
def test_favicon_ico_is_the_icon_kept_a_week(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert "max-age=604800" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.django_db
def test_the_static_icon_is_served(client):
    response = client.get("/static/core/favicon.svg")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"<svg")


def test_staff_and_traveler_pages_name_the_icon(client, city):
    for path in ["/accounts/login/", "/declare/"]:
        page = client.get(path).content.decode()
        assert '<link rel="icon" href="/static/core/favicon.svg"' in page, path
