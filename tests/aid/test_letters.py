"""Acknowledgement letters and the donation certificate (issue 15, point 5): drafted from a
donation in Chinese and the counterpart's language, reviewed by another officer (four eyes),
sent, the reply recorded, one event per move; printed as PDF with every script's font embedded
and its text extractable (tests/poppler.py)."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from liaison.aid import letters
from liaison.aid.models import Letter, LetterEvent
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from tests.aid.conftest import K, committed, donate, organization, receive, ship
from tests.poppler import first_page_png, fonts, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def korea(city):
    return organization("KR-SEOUL", K.SISTER_CITY, "KR", "韩国首尔特别市", "Seoul")


@pytest.fixture
def kf94_to_iran(aid_officer, city_government, iran):
    donation = donate(aid_officer, city_government, iran, ("KF94", 3000, ""))
    committed(donation, aid_officer)
    ship(donation, aid_officer, 3000)
    return donation


@pytest.fixture
def masks_from_seoul(aid_officer, korea, city_government):
    donation = donate(aid_officer, korea, city_government, ("KF94", 2000, ""), on=date(2020, 3, 1))
    committed(donation, aid_officer)
    batch = ship(donation, aid_officer, 2000, sent_on=date(2020, 3, 2))
    receive(batch, aid_officer, date(2020, 3, 4), (1900, 100, "Torn packaging"))
    return donation


def post(client, path, body=None):
    return client.post(
        path, json.dumps(body or {}), content_type="application/json",
        headers={"accept-language": "en"},
    )  # fmt: skip


# --- services -----------------------------------------------------------------------------------


def test_an_outbound_letter_goes_in_the_recipients_language(kf94_to_iran, aid_officer):
    letter = letters.draft_letter(donation=kf94_to_iran, by=aid_officer)
    assert (letter.kind, letter.language, letter.status) == ("accompanying", "fa", "drafted")
    context = letters.context(letter)
    assert [side["lang"] for side in context["sides"]] == ["zh-hans", "fa"]
    assert context["sides"][1]["dir"] == "rtl"
    assert context["sides"][0]["lines"][0]["units"] == 3000


def test_an_inbound_letter_thanks_for_what_was_received(masks_from_seoul, aid_officer):
    letter = letters.draft_letter(donation=masks_from_seoul, by=aid_officer)
    assert (letter.kind, letter.language) == ("thanks", "ko")
    # 2,000 pledged and shipped, 1,900 accepted: the letter thanks for what arrived.
    assert letters.context(letter)["sides"][1]["lines"][0]["units"] == 1900


def test_a_country_without_a_letter_language_reads_english(city):
    assert letters.language_for("AM") == "en"
    assert letters.language_for("BR") == "pt" and letters.language_for("jp") == "ja"


def test_the_letter_moves_through_four_eyes_with_one_event_a_move(
    kf94_to_iran, aid_officer, second_aid_officer
):
    letter = letters.draft_letter(
        donation=kf94_to_iran, by=aid_officer, letter_date=date(2020, 3, 19)
    )
    with pytest.raises(Conflict):
        letters.review_letter(letter=letter, by=aid_officer)
    with pytest.raises(Conflict):
        letters.send_letter(letter=letter, by=aid_officer, sent_on=date(2020, 3, 19))
    letter = letters.review_letter(letter=letter, by=second_aid_officer)
    letter = letters.send_letter(
        letter=letter, by=aid_officer, sent_on=date(2020, 3, 20), channel="Consulate General"
    )
    letter = letters.record_reply(
        letter=letter, by=aid_officer, reply_on=date(2020, 3, 25), summary="Thanks received"
    )
    moves = [(e.from_status, e.to_status) for e in letter.events.all()]
    assert moves == [
        ("", "drafted"), ("drafted", "reviewed"), ("reviewed", "sent"), ("sent", "replied")
    ]  # fmt: skip
    assert letter.reviewed_by == second_aid_officer
    with pytest.raises(Conflict):
        letters.record_reply(letter=letter, by=aid_officer, reply_on=date(2020, 3, 26), summary="x")


def test_bad_dates_and_an_empty_reply_change_nothing(kf94_to_iran, aid_officer, second_aid_officer):
    letter = letters.draft_letter(
        donation=kf94_to_iran, by=aid_officer, letter_date=date(2020, 3, 19)
    )
    letter = letters.review_letter(letter=letter, by=second_aid_officer)
    tomorrow = timezone.localdate().replace(year=timezone.localdate().year + 1)
    for sent_on in (tomorrow, date(2020, 3, 18)):
        with pytest.raises(Refused):
            letters.send_letter(letter=letter, by=aid_officer, sent_on=sent_on)
    letter = letters.send_letter(letter=letter, by=aid_officer, sent_on=date(2020, 3, 20))
    for reply_on, summary in ((date(2020, 3, 21), "  "), (date(2020, 3, 19), "Thanks")):
        with pytest.raises(Refused):
            letters.record_reply(letter=letter, by=aid_officer, reply_on=reply_on, summary=summary)
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.events.count() == 3
    with pytest.raises(Refused):
        letters.draft_letter(donation=kf94_to_iran, by=aid_officer, language="xx")


# --- PDFs ---------------------------------------------------------------------------------------


def _pdf(response, tmp_path: Path, name: str) -> Path:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(response.content)
    return path


def _embedded(pdf: Path) -> set[str]:
    used = fonts(pdf)
    assert used and all(f["emb"] == "yes" and f["uni"] == "yes" for f in used), used
    return {f["name"].partition("+")[2] for f in used}


def test_the_persian_letter_prints_right_to_left_with_its_fonts(
    kf94_to_iran, aid_officer, signed_in, tmp_path
):
    letter = letters.draft_letter(donation=kf94_to_iran, by=aid_officer)
    client = signed_in(aid_officer)
    pdf = _pdf(client.get(f"/aid/letters/{letter.pk}/letter.pdf"), tmp_path, "letter-fa")
    first_page_png(pdf, "aid-letter-fa")
    families = _embedded(pdf)
    assert "Noto-Sans-CJK-SC" in families and any("Arabic" in f for f in families), families
    printed = text(pdf)
    assert "致函" in printed and "重庆市人民政府" in printed
    assert "نامهٔ همراه" in printed or "نامه" in printed
    assert "همبستگی" in printed  # Persian words come back in logical order
    assert "3000" in printed
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, note="PDF").exists()


def test_the_korean_thanks_and_the_certificate_print(
    masks_from_seoul, aid_officer, signed_in, tmp_path
):
    letter = letters.draft_letter(donation=masks_from_seoul, by=aid_officer)
    client = signed_in(aid_officer)
    pdf = _pdf(client.get(f"/aid/letters/{letter.pk}/letter.pdf"), tmp_path, "letter-ko")
    assert "Noto-Sans-CJK-KR" in _embedded(pdf)
    printed = text(pdf)
    assert "감사 서한" in printed and "감사드립니다" in printed and "感谢信" in printed
    assert "1900" in printed
    certificate = _pdf(
        client.get(f"/aid/{masks_from_seoul.pk}/certificate.pdf"), tmp_path, "certificate"
    )
    first_page_png(certificate, "aid-certificate-ko")
    _embedded(certificate)
    printed = text(certificate)
    for words in ("捐赠证书", "Certificate of donation", "기증 증명서", "Seoul", "1900"):
        assert words in printed, words


def test_the_printable_letter_is_the_pdfs_template(kf94_to_iran, aid_officer, signed_in):
    letter = letters.draft_letter(donation=kf94_to_iran, by=aid_officer)
    page = signed_in(aid_officer).get(f"/aid/letters/{letter.pk}/print/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'lang="fa" dir="rtl"' in html and 'data-testid="letter-zh-hans"' in html


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "已起草"), ("en", "Drafted")])
def test_the_letter_page_in_both_staff_languages(
    kf94_to_iran, aid_officer, signed_in, language, label
):
    client = signed_in(aid_officer)
    response = client.post(
        f"/aid/{kf94_to_iran.pk}/letters/", {}, headers={"accept-language": language}
    )
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/aid/letters/{letter.pk}/"
    page = client.get(f"/aid/letters/{letter.pk}/", headers={"accept-language": language})
    assert page.status_code == 200 and label in page.content.decode()


def test_the_drafter_cannot_review_on_the_page(
    kf94_to_iran, aid_officer, second_aid_officer, signed_in
):
    letter = letters.draft_letter(donation=kf94_to_iran, by=aid_officer)
    mine = signed_in(aid_officer)
    refused = mine.post(f"/aid/letters/{letter.pk}/review/", headers={"accept-language": "en"})
    assert refused.status_code == 409
    assert "Another officer reviews" in refused.content.decode()
    other = signed_in(second_aid_officer)
    assert other.post(f"/aid/letters/{letter.pk}/review/").status_code == 302
    bad = other.post(f"/aid/letters/{letter.pk}/send/", {"sent_on": "19-03-2020"})
    assert bad.status_code == 400
    assert other.post(f"/aid/letters/{letter.pk}/nothing/").status_code == 404
    letter.refresh_from_db()
    assert letter.status == "reviewed" and LetterEvent.objects.count() == 2


def test_others_see_no_letter(
    kf94_to_iran, aid_officer, liaison_officer, director_general, signed_in
):
    letter = letters.draft_letter(donation=kf94_to_iran, by=aid_officer)
    outsider = signed_in(liaison_officer)
    for path in (f"/aid/letters/{letter.pk}/", f"/aid/letters/{letter.pk}/letter.pdf"):
        assert outsider.get(path).status_code == 403
    leader = signed_in(director_general)
    assert leader.get(f"/aid/letters/{letter.pk}/").status_code == 200
    assert leader.post(f"/aid/letters/{letter.pk}/review/").status_code == 403
    assert outsider.get("/api/v1/aid/letters").status_code == 403


# --- API ----------------------------------------------------------------------------------------


def test_the_letter_through_the_api(kf94_to_iran, aid_officer, second_aid_officer, signed_in):
    mine, other = signed_in(aid_officer), signed_in(second_aid_officer)
    created = post(
        mine, f"/api/v1/aid/donations/{kf94_to_iran.pk}/letters", {"letter_date": "2020-03-19"}
    )
    assert created.status_code == 201, created.content
    letter = created.json()
    assert (letter["kind"], letter["language"], letter["status"]) == (
        "accompanying",
        "fa",
        "drafted",
    )
    path = f"/api/v1/aid/letters/{letter['id']}"
    assert post(mine, f"{path}/review").status_code == 409
    assert post(other, f"{path}/review").json()["status"] == "reviewed"
    assert post(mine, f"{path}/send", {"sent_on": "2020-02-30"}).status_code == 400
    assert post(mine, f"{path}/send", {"sent_on": "2020-03-20"}).json()["status"] == "sent"
    assert post(mine, f"{path}/reply", {"reply_on": "2020-03-25", "summary": ""}).status_code == 400
    replied = post(mine, f"{path}/reply", {"reply_on": "2020-03-25", "summary": "Merci"})
    assert replied.json()["status"] == "replied" and len(replied.json()["events"]) == 4
    assert [
        row["id"] for row in mine.get(f"/api/v1/aid/letters?donation_id={kf94_to_iran.pk}").json()
    ] == [letter["id"]]
    assert mine.get(f"{path}").json()["reply_summary"] == "Merci"
    pdf = mine.get(f"{path}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert mine.get("/api/v1/aid/letters/999999").status_code == 404
    assert (
        post(
            mine, f"/api/v1/aid/donations/{kf94_to_iran.pk}/letters", {"language": "xx"}
        ).status_code
        == 400
    )
