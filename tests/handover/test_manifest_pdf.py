"""The handover manifest PDF prints every script, embeds its fonts and never turns text into markup.

Read back with poppler (tests/poppler.py); the first page of each is saved as a PNG in
test-artifacts/ for a person to look at. A missing tool fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from liaison.handover import services
from tests.handover.conftest import ready
from tests.poppler import first_page_png, fonts, images, text, urls

pytestmark = pytest.mark.django_db
# (surname, given names) in their own script, the Latin name, nationality, as printed.
TRAVELERS = [
    ("张", "伟", "ZHANG", "WEI", "CN", "张伟"),
    ("김", "민준", "KIM", "MINJUN", "KR", "김민준"),
    ("さとう", "はなこ", "SATO", "HANAKO", "JP", "さとう はなこ"),
    ("佐藤", "花子", "SATO", "HANAKO", "JP", "佐藤花子"),
    ("رضایی", "محمد", "REZAEI", "MOHAMMAD", "IR", "محمد رضایی"),
    ("الحسن", "عمر", "ALHASSAN", "OMAR", "JO", "عمر الحسن"),
    ("Петров", "Иван", "PETROV", "IVAN", "RU", "Иван Петров"),
    ("", "", "MÜLLER", "JÖRG", "DE", ""),
]


def squeezed(value: str) -> str:
    return "".join(value.split())


def batch_of(travelers, dispatcher, yubei, **changes):
    batch = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle=changes.get("vehicle", "渝A·12345"),
        escort=changes.get("escort", "刘警官 · Officer Liu"),
        planned_departure=travelers[0].created_at,
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    return services.mark_departed(batch=batch, dispatcher=dispatcher)


@pytest.fixture
def world_batch(dispatcher, yubei):
    travelers = [
        ready(
            surname_native=surname,
            given_names_native=given,
            surname_latin=latin_surname,
            given_names_latin=latin_given,
            nationality=country,
        )
        for surname, given, latin_surname, latin_given, country, _ in TRAVELERS
    ]
    return batch_of(travelers, dispatcher, yubei)


def download(client, batch, tmp_path: Path) -> Path:
    response = client.get(f"/handover/dispatch/batches/{batch.pk}/manifest.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / f"manifest-{batch.number}.pdf"
    path.write_bytes(response.content)
    return path


def test_every_script_is_printed_with_embedded_fonts(world_batch, dispatcher, signed_in, tmp_path):
    pdf = download(signed_in(dispatcher), world_batch, tmp_path)
    first_page_png(pdf, "manifest-pdf-every-script")

    used = fonts(pdf)
    assert used, "the manifest uses no font"
    assert all(font["emb"] == "yes" for font in used), used
    assert all(font["uni"] == "yes" for font in used), used  # text can be found and copied
    # Subset fonts are named "ABCDEF+Family"; Han in a Japanese or Korean name takes that form.
    families = {font["name"].partition("+")[2] for font in used}
    for family in ("Noto-Sans", "Noto-Sans-CJK-SC", "Noto-Sans-CJK-JP", "Noto-Sans-CJK-KR"):
        assert family in families, families
    assert "Noto-Sans-Arabic" in families, families

    printed = text(pdf)
    for *_, latin_surname, latin_given, _, native in TRAVELERS:
        assert f"{latin_surname} {latin_given}" in printed
        if native:
            assert native in printed, native
    for label in ("转运交接单", "Handover manifest", "集中隔离", "Centralized quarantine", "·"):
        assert label in printed, label
    assert "已出发" in printed and "Departed" in printed
    assert "centralized_quarantine" not in printed
    assert not re.search(r"\bdeparted\b", printed)  # the status as its labels, not its code
    assert not re.search(r"[\u25a1\ufffd]", printed)  # no box, no replacement character


def test_native_names_take_the_order_of_their_script(world_batch, dispatcher, signed_in):
    html = signed_in(dispatcher).get(f"/handover/dispatch/batches/{world_batch.pk}/manifest/")
    page = html.content.decode()
    assert '<bdi dir="auto" lang="fa">محمد رضایی</bdi>' in page
    assert '<bdi dir="auto" lang="ja">佐藤花子</bdi>' in page
    assert '<bdi dir="auto" lang="ko">김민준</bdi>' in page
    assert "Иван Петров" in page and "ПетровИван" not in page
    assert "集中隔离 Centralized quarantine" in page and "centralized_quarantine" not in page
    assert "<script>" not in page and "<style" not in page and "onclick" not in page


def test_markup_typed_into_a_name_is_printed_as_text(dispatcher, yubei, signed_in, tmp_path):
    image = '<img src="file:///etc/passwd">'
    link = '<a href="https://evil.example">x</a>'
    traveler = ready(surname_native=image, given_names_native=link, surname_latin="MARKUP")
    batch = batch_of(
        [traveler],
        dispatcher,
        yubei,
        escort='<link rel="stylesheet" href="https://evil.example/a">',
    )
    client = signed_in(dispatcher)
    page = client.get(f"/handover/dispatch/batches/{batch.pk}/manifest/").content.decode()
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in page and image not in page
    assert link not in page and "evil.example/a" in page and 'href="https://evil' not in page
    pdf = download(client, batch, tmp_path)
    first_page_png(pdf, "manifest-pdf-markup")

    printed = squeezed(text(pdf))
    assert squeezed(image) in printed and squeezed(link) in printed
    assert squeezed('<link rel="stylesheet" href="https://evil.example/a">') in printed
    assert images(pdf) == []
    assert urls(pdf) == []
    assert "root:x:0" not in text(pdf)
