"""Native names as their script writes them, isolated for bidirectional text on every page that
shows them (issue 13, point 5): the desk, a batch, a traveler's record, the handover API."""

import pytest

from liaison.core.roles import Role
from liaison.handover import services as handover
from tests.conftest import make_user
from tests.handover.conftest import declare, ready

pytestmark = pytest.mark.django_db

# surname, given names, nationality -> as written, its language tag ("" for Cyrillic).
NAMES = [
    ("王", "小明", "CN", "王小明", "zh-Hans"),
    ("김", "민준", "KR", "김민준", "ko"),
    ("佐藤", "花子", "JP", "佐藤花子", "ja"),
    ("رضایی", "محمد", "IR", "محمد رضایی", "fa"),
    ("الحسن", "عمر", "JO", "عمر الحسن", "ar"),
    ("Петров", "Иван", "RU", "Иван Петров", ""),
]
IDS = [row[2] for row in NAMES]


def isolated(written: str, language: str) -> str:
    if language:
        return f'<bdi dir="auto" lang="{language}">{written}</bdi>'
    return f'<bdi dir="auto">{written}</bdi>'


def traveler(surname, given, country, **changes):
    return declare(surname_native=surname, given_names_native=given, nationality=country, **changes)


def found(client, typed: str) -> set[int]:
    """The travelers the desk finds for what was typed (one found opens their page at once)."""
    from liaison.arrivals.models import Arrival

    response = client.get("/screening/desk/", {"q": typed})
    if response.status_code == 302:
        return {int(response["Location"].rstrip("/").rsplit("/", 1)[1])}
    html = response.content.decode()
    return {a.pk for a in Arrival.objects.all() if a.display_code in html}


@pytest.mark.parametrize(("surname", "given", "country", "written", "language"), NAMES, ids=IDS)
def test_the_name_is_written_as_its_script_writes_it(
    city, surname, given, country, written, language
):
    arrival = traveler(surname, given, country)
    assert arrival.name_native == written
    assert arrival.name_native_language == language


@pytest.mark.parametrize(("surname", "given", "country", "written", "language"), NAMES, ids=IDS)
def test_desk_search_and_traveler_page_show_the_name_isolated(
    city, airport_desk_officer, signed_in, surname, given, country, written, language
):
    arrival = traveler(surname, given, country)
    client = signed_in(airport_desk_officer)
    # Found as it is written (with its space or without), and by either part.
    for typed in (written, surname, given):
        assert found(client, typed) == {arrival.pk}, typed
    # Two of the same name: the desk lists both.
    namesake = traveler(surname, given, country)
    response = client.get("/screening/desk/", {"q": written})
    assert response.status_code == 200
    html = response.content.decode()
    assert arrival.display_code in html and namesake.display_code in html
    # Both travelers, in the search's answer and in the desk's queue below it: every time the
    # name is written, it is isolated.
    assert html.count(isolated(written, language)) >= 2
    typed_back = html.count(f'value="{written}"')  # the search box keeps what was typed
    assert html.count(written) - typed_back == html.count(isolated(written, language))
    html = client.get(f"/screening/desk/{arrival.pk}/").content.decode()
    assert isolated(written, language) in html
    html = client.get(f"/arrivals/{arrival.pk}/").content.decode()
    assert isolated(written, language) in html


def test_desk_search_takes_a_name_either_way_round(city, airport_desk_officer, signed_in):
    russian = traveler("Петров", "Иван", "RU")
    korean = traveler("김", "민준", "KR")
    client = signed_in(airport_desk_officer)
    for typed in ("Иван Петров", "Петров Иван", "Петров"):
        assert found(client, typed) == {russian.pk}, typed
    for typed in ("김민준", "김 민준"):
        assert found(client, typed) == {korean.pk}, typed


def test_the_batch_page_and_the_api_show_every_script(city, yubei, signed_in):
    dispatcher = make_user("sun-dispatch", Role.DISPATCH)
    travelers = [
        ready(
            surname_native=surname,
            given_names_native=given,
            nationality=country,
            document_number=f"N{index:07d}",
        )
        for index, (surname, given, country, _, _) in enumerate(NAMES)
    ]
    batch = handover.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=travelers[0].created_at,
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    client = signed_in(dispatcher)
    html = client.get(f"/handover/dispatch/batches/{batch.pk}/").content.decode()
    for _, _, _, written, language in NAMES:
        assert isolated(written, language) in html
    members = client.get(f"/api/v1/handover/batches/{batch.pk}").json()["members"]
    assert sorted(m["name_native"] for m in members) == sorted(row[3] for row in NAMES)


def test_markup_in_a_name_is_text(city, airport_desk_officer, signed_in):
    arrival = traveler("<b>x</b>", "y", "DE")
    html = signed_in(airport_desk_officer).get(f"/arrivals/{arrival.pk}/").content.decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_the_arrivals_list_finds_and_shows_native_names(city, airport_desk_officer, signed_in):
    russian = traveler("Петров", "Иван", "RU", surname_latin="PETROV", given_names_latin="IVAN")
    korean = traveler("김", "민준", "KR")
    client = signed_in(airport_desk_officer)
    for typed, wanted, other in (
        ("Иван Петров", russian, korean),
        ("Петров Иван", russian, korean),
        ("김민준", korean, russian),
        ("MINJUN", korean, russian),
    ):
        html = client.get("/arrivals/", {"q": typed}).content.decode()
        assert wanted.display_code in html and other.display_code not in html, typed
    html = client.get("/arrivals/").content.decode()
    assert isolated("김민준", "ko") in html and isolated("Иван Петров", "") in html
