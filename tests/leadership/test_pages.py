"""The leadership desk's pages: who opens them, what a figure links to for whom (issue 17,
point 5), bad input answered 4xx with nothing changed, no-store and the security policy."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.leadership.models import Briefing, BriefingStatus
from tests.handover.conftest import declare, ready
from tests.leadership.test_briefing import approved, drafted
from tests.poppler import first_page_png, fonts, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def travelers(city):
    return [
        ready(),
        declare(surname_native="朴", given_names_native="敏俊", surname_latin="PARKNAMED"),
    ]


def test_leadership_and_the_duty_desk_open_the_dashboard_and_others_do_not(
    travelers, leader, duty_chief, aid_officer, signed_in
):
    for user in (leader, duty_chief):
        response = signed_in(user).get("/leadership/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
        page = response.content.decode()
        assert "<svg" in page and "<script>" not in page and "javascript:" not in page
    assert signed_in(aid_officer).get("/leadership/").status_code == 403
    assert signed_in(aid_officer).get("/api/v1/leadership/dashboard").status_code == 403


def test_the_home_page_of_leadership_shows_the_situation_and_leads_to_the_dashboard(
    travelers, leader, aid_officer, signed_in
):
    page = signed_in(leader).get("/").content.decode()
    assert 'data-testid="situation"' in page and 'href="/leadership/"' in page
    assert re.search(
        r'data-key="pipeline.new.arrived"><a href="/handover/board/\?day=[0-9-]+">2</a>', page
    )
    assert 'data-testid="situation"' not in signed_in(aid_officer).get("/").content.decode()


def test_a_figure_links_to_its_list_only_for_a_reader_who_may_open_it(
    travelers, leader, duty_chief, signed_in
):
    """Leadership opens the closed-loop board, the duty desk does not: the same figure is a
    link for one and a number for the other; the assistance desk's list is neither's."""
    leader_page = signed_in(leader).get("/leadership/")
    duty_page = signed_in(duty_chief).get("/leadership/")

    def cell(response, key):
        return next(
            c
            for s in response.context["sections"]
            for t in s["tables"]
            for r in t["rows"]
            for c in r["cells"]
            if c["key"] == key
        )

    assert cell(leader_page, "pipeline.total.at_airport")["url"] == "/handover/board/at_airport/"
    assert cell(duty_page, "pipeline.total.at_airport")["url"] == ""
    assert cell(duty_page, "pipeline.total.at_airport")["value"] == 2
    assert cell(duty_page, "incidents.severity.1")["url"].startswith("/incidents/?severity=1")
    assert cell(leader_page, "assistance.open")["url"] == ""
    assert signed_in(duty_chief).get("/handover/board/at_airport/").status_code == 403


def test_a_briefing_is_drafted_written_and_approved_through_the_pages(
    travelers, leader, duty_chief, signed_in
):
    from datetime import timedelta

    import time_machine

    from liaison.leadership import figures

    day = timezone.localdate()
    with time_machine.travel(figures.cutoff_of(day) + timedelta(minutes=5), tick=False):
        officer = signed_in(duty_chief)
        response = officer.post("/leadership/briefings/draft/", {"day": day.isoformat()})
        briefing = Briefing.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"/{briefing.pk}/")
        response = officer.post(
            f"/leadership/briefings/{briefing.pk}/highlights/",
            {"highlights_zh": "两名旅客在机场。", "highlights_en": "Two travelers at the airport."},
        )
        assert response.status_code == 302
        assert officer.post(f"/leadership/briefings/{briefing.pk}/approve/").status_code == 403
        boss = signed_in(leader)
        page = boss.get(f"/leadership/briefings/{briefing.pk}/").content.decode()
        assert "2026" in page or str(day.year) in page
        assert f"{day:%Y-%m-%d} 24:00" in page  # the cut-off, stated at the top
        assert boss.post(f"/leadership/briefings/{briefing.pk}/approve/").status_code == 302
        again = boss.post(f"/leadership/briefings/{briefing.pk}/approve/")
        assert again.status_code == 409
        assert "approved" in again.content.decode()
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.APPROVED and briefing.approved_by == leader
    assert AuditEntry.objects.filter(note="approved", actor_id=leader.pk).count() == 1


def test_bad_input_is_a_4xx_and_changes_nothing(travelers, leader, signed_in):
    client = signed_in(leader)
    for day in ("2026-02-30", "tomorrow", "", "0001-01-01"):
        assert client.post("/leadership/briefings/draft/", {"day": day}).status_code == 400
    future = (timezone.localdate()).isoformat()  # today's cut-off has not come yet
    assert client.post("/leadership/briefings/draft/", {"day": future}).status_code == 400
    assert not Briefing.objects.exists()
    assert client.get("/leadership/?day=2026-13-01").status_code == 400
    assert client.get("/leadership/briefings/999999/").status_code == 404
    assert client.post("/leadership/briefings/999999/approve/").status_code == 404
    assert client.get("/leadership/briefings/compare/?a=1&b=x").status_code == 400
    assert client.get("/leadership/briefings/compare/?a=998&b=999").status_code == 404
    draft = drafted()
    assert client.get(f"/leadership/briefings/{draft.pk}/briefing.pdf").status_code == 409
    long = "x" * 5000
    response = client.post(
        f"/leadership/briefings/{draft.pk}/highlights/",
        {"highlights_zh": long, "highlights_en": ""},
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.highlights_zh == "" and draft.status == BriefingStatus.DRAFT


def test_the_briefing_pdf_is_bilingual_with_embedded_fonts_and_names_no_traveler(
    travelers, leader, signed_in, tmp_path
):
    briefing = approved(leader)
    response = signed_in(leader).get(f"/leadership/briefings/{briefing.pk}/briefing.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = Path(tmp_path / "briefing.pdf")
    pdf.write_bytes(response.content)
    first_page_png(pdf, "leadership-briefing-pdf")
    used = fonts(pdf)
    assert used and all(f["emb"] == "yes" and f["uni"] == "yes" for f in used), used
    families = {f["name"].partition("+")[2] for f in used}
    assert "Noto-Sans-CJK-SC" in families, families
    printed = text(pdf)
    for words in ("外事联络组日报", "Daily briefing", "数据截止", "Data cut-off", "入境平稳。"):
        assert words in printed, words
    assert "Arrivals steady." in printed and "在机场" in printed and "At the airport" in printed
    for arrival in travelers:
        arrival.refresh_from_db()
        for shown in (arrival.surname_latin, arrival.surname_native + arrival.given_names_native):
            assert shown not in printed
        assert arrival.document_number not in printed and arrival.code not in printed
