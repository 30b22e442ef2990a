"""The desk's flights page says "no manifest imported" for a flight without one, and only a
flight with a manifest can have "everyone on the manifest has declared"."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.arrivals import services
from liaison.arrivals.models import Source
from tests.arrivals.conftest import valid_payload

EVERYONE = "Everyone on the manifest has declared."
NO_MANIFEST = "No manifest imported for this flight."


def flights_page(client) -> str:
    response = client.get("/screening/desk/flights/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_a_flight_without_a_manifest_says_none_was_imported(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    services.declare(data=valid_payload(), source=Source.API)  # KE 147 today, no manifest
    page = flights_page(client)
    assert f"<h2>KE147 {timezone.localdate():%Y-%m-%d} (0)</h2>" in page
    assert NO_MANIFEST in page
    assert EVERYONE not in page
    assert (
        "尚未导入旅客舱单"
        in client.get("/screening/desk/flights/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )


def test_a_flight_whose_manifest_everyone_declared_says_so(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    services.declare(data=valid_payload(), source=Source.API)  # M12345678
    response = client.post(
        "/arrivals/flights/import/",
        {
            "flight_number": "KE 147",
            "date": timezone.localdate().isoformat(),
            "file": SimpleUploadedFile(
                "ke147.csv", b"name,document,seat\nKIM MINJUN,M12345678,32A\n"
            ),
        },
    )
    assert response.status_code == 302
    page = flights_page(client)
    assert EVERYONE in page
    assert NO_MANIFEST not in page
    assert not re.search(r'data-testid="not-declared">\s*<li>', page)
