"""The 24 March 2020 conference, from the plan to the printed minutes: Ukrainian Cyrillic,
Armenian script and the Chinese title are in the PDF as text, with every font embedded.

Read back with poppler (tests/poppler.py); the first page is saved as a PNG in test-artifacts/.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.exchanges import services
from tests.exchanges.conftest import (
    ARMENIAN_DEPUTY,
    TITLE_ZH,
    UKRAINIAN_MINISTER,
    pdf_upload,
    record_the_questions,
)
from tests.poppler import first_page_png, fonts, text

pytestmark = pytest.mark.django_db


def squeezed(value: str) -> str:
    """Without spaces and NFKC-normalised, as ``poppler.text`` returns it (？ is ?)."""
    return "".join(unicodedata.normalize("NFKC", value).split())


@pytest.fixture
def finalized(conference, directory, exchange_officer):
    with audit.acting_as(exchange_officer):
        record_the_questions(conference, directory, exchange_officer)
        services.share_material(
            conference=conference,
            upload=pdf_upload(),
            title="诊疗方案 Treatment plan",
            language="ru",
            visibility="counterparts",
            shared_by_id=directory["people"]["expert_2"].pk,
            by=exchange_officer,
        )
        services.share_material(
            conference=conference,
            upload=pdf_upload("notes.pdf"),
            title="Internal briefing notes",
            language="zh-hans",
            visibility="internal",
            by=exchange_officer,
        )
        return services.finalize_minutes(conference=conference, by=exchange_officer)


def download(client, conference, tmp_path: Path, url=None) -> Path:
    response = client.get(url or f"/exchanges/{conference.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / f"minutes-{conference.pk}.pdf"
    path.write_bytes(response.content)
    return path


def test_the_minutes_print_every_script_with_embedded_fonts(
    finalized, exchange_officer, signed_in, tmp_path
):
    pdf = download(signed_in(exchange_officer), finalized, tmp_path)
    first_page_png(pdf, "exchanges-minutes-pdf")

    used = fonts(pdf)
    assert used and all(font["emb"] == "yes" for font in used), used
    assert all(font["uni"] == "yes" for font in used), used
    assert any("Armenian" in font["name"] for font in used), used
    printed = squeezed(text(pdf))
    for expected in (TITLE_ZH, UKRAINIAN_MINISTER, ARMENIAN_DEPUTY, "会议纪要", "Minutes"):
        assert squeezed(expected) in printed, expected
    # Both languages of the Q&A, the shared material, never the internal one.
    assert squeezed("How is centralized quarantine organized?") in printed
    assert squeezed("如何组织集中隔离？") in printed
    assert "Treatmentplan" in printed and "Internalbriefing" not in printed
    # Each side's time: 15:00 in Chongqing, 09:00 in Kyiv, 11:00 in Yerevan.
    for moment in ("2020-03-2415:00", "2020-03-2409:00", "2020-03-2411:00"):
        assert moment in printed, moment


def test_the_pdf_is_the_same_through_the_api_and_its_read_is_audited(
    finalized, leader, signed_in, tmp_path
):
    client = signed_in(leader)
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
    pdf = download(
        client, finalized, tmp_path, f"/api/v1/exchanges/conferences/{finalized.pk}/minutes.pdf"
    )
    assert squeezed(ARMENIAN_DEPUTY) in squeezed(text(pdf))
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert exports.count() == before + 1
    assert len(exports.latest("id").object_ids) == 17  # everyone who took part


def test_the_printable_page_is_the_same_template(finalized, leader, signed_in):
    page = signed_in(leader).get(f"/exchanges/{finalized.pk}/minutes/").content.decode()
    assert TITLE_ZH in page and UKRAINIAN_MINISTER in page and ARMENIAN_DEPUTY in page
    assert 'lang="hy"' in page and 'lang="uk"' in page
    assert "Internal briefing notes" not in page
