"""The policy pages: who may read, draft, publish and review; bad documents refused on the page."""

import pytest
from django.template import Context, Template
from django.utils import translation

from liaison.core.roles import Role
from liaison.policy import selectors, services
from liaison.policy.models import PolicyReview, ReviewStatus, RiskListVersion, VersionStatus
from tests.conftest import make_user
from tests.policy.test_preview import arrive
from tests.policy.test_versions import RISK_WITH_THAILAND, draft_risk

pytestmark = pytest.mark.django_db

READERS = {Role.AIRPORT_DESK, Role.LEADERSHIP, Role.ADMINISTRATOR}
REVIEWERS = {Role.AIRPORT_DESK, Role.ADMINISTRATOR}


@pytest.fixture
def leader(city):
    return make_user("liu-leadership", Role.LEADERSHIP)


@pytest.fixture
def thai_traveler(city):
    return arrive("T1000001", "TH", surname_latin="SOMCHAI", nationality="TH")


def post_draft(client, text=RISK_WITH_THAILAND, **changes):
    data = {
        "kind": "risk_list",
        "text": text,
        "effective_from": "2030-01-01T08:00",
        "note": "Thailand high risk (notice 12)",
        **changes,
    }
    return client.post("/policy/new/", data)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/policy/", READERS),
        ("/policy/new/", {Role.ADMINISTRATOR}),
        ("/policy/reviews/", REVIEWERS),
    ],
)
def test_pages_answer_only_their_roles(path, allowed, signed_in, city):
    for role in Role:
        user = make_user(f"u-{role}-{path.strip('/').replace('/', '-')}", role)
        status = signed_in(user).get(path).status_code
        assert (status == 200) == (role in allowed), (role, path, status)


def test_the_version_list_shows_what_is_in_force(signed_in, leader):
    client = signed_in(leader)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/policy/").content.decode()
    assert "2020-03-20.1" in page and "2020-03-20" in page
    assert page.count("<strong>In force</strong>") == 2
    assert "New draft" not in page  # leadership reads, does not draft


def test_a_version_page_shows_the_document_and_who_wrote_it(signed_in, leader):
    version = selectors.policy_in_force()[1]
    page = signed_in(leader).get(f"/policy/risk-list/{version.pk}/").content.decode()
    assert "{country: IR, level: high, from: 2020-03-01, note: Iran}" in page
    assert "test" in page and "生效时间" in page
    assert signed_in(leader).get(f"/policy/rules/{version.pk + 999}/").status_code == 404
    assert signed_in(leader).get(f"/policy/planets/{version.pk}/").status_code == 404


def test_an_administrator_drafts_previews_and_publishes(signed_in, administrator, thai_traveler):
    client = signed_in(administrator)
    response = post_draft(client)
    draft = RiskListVersion.objects.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == f"/policy/risk-list/{draft.pk}/preview/"
    assert draft.author == administrator and draft.note == "Thailand high risk (notice 12)"

    page = client.get(response["Location"]).content.decode()
    assert thai_traveler.code in page and "SOMCHAI" in page
    assert "居家隔离" in page and "集中隔离" in page
    assert "曾在泰国" in page

    response = client.post(f"/policy/risk-list/{draft.pk}/publish/", follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_by == administrator
    assert PolicyReview.objects.get().arrival == thai_traveler
    assert "2020-03-26" in response.content.decode()


def test_a_bad_document_on_the_page_names_line_and_reason_and_saves_nothing(
    signed_in, administrator
):
    client = signed_in(administrator)
    text = RISK_WITH_THAILAND.replace("TH, level: high", "XX, level: extreme")
    response = post_draft(client, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "政策文本未被接受，未保存任何内容" in page
    assert "<td>4</td>" in page and "entries[1].level" in page
    assert "unknown risk level &#x27;extreme&#x27;" in page
    assert not RiskListVersion.objects.filter(status=VersionStatus.DRAFT).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "请粘贴政策文本或上传文件。"),
        ({"effective_from": "tomorrow"}, "输入一个有效的日期/时间。"),
        ({"note": ""}, "这个字段是必填项。"),
    ],
)
def test_a_bad_form_is_refused_with_a_translated_message(
    changes, message, signed_in, administrator
):
    response = post_draft(signed_in(administrator), **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RiskListVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_an_upload_that_is_not_utf8_is_refused(signed_in, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("risk.yaml", "version: 试\n".encode("gbk"))
    response = post_draft(signed_in(administrator), text="", upload=upload)
    assert response.status_code == 400
    assert "文件不是 UTF-8 文本。" in response.content.decode()


def test_an_uploaded_file_is_a_draft_like_a_pasted_one(signed_in, administrator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("risk.yaml", RISK_WITH_THAILAND.encode())
    assert post_draft(signed_in(administrator), text="", upload=upload).status_code == 302
    assert RiskListVersion.objects.get(status=VersionStatus.DRAFT).source == RISK_WITH_THAILAND


def test_only_administrators_publish_or_discard(signed_in, administrator, airport_desk_officer):
    draft = draft_risk(administrator)
    client = signed_in(airport_desk_officer)
    assert client.get(f"/policy/risk-list/{draft.pk}/preview/").status_code == 200
    assert client.post(f"/policy/risk-list/{draft.pk}/publish/").status_code == 403
    assert client.post(f"/policy/risk-list/{draft.pk}/discard/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_roles_without_the_policy_area_see_nothing(signed_in, administrator, sampler_at_t3):
    draft = draft_risk(administrator)
    client = signed_in(sampler_at_t3)
    for path in ("/policy/", f"/policy/risk-list/{draft.pk}/", "/policy/reviews/"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/policy/risk-list/{draft.pk}/preview/").status_code == 403


def test_publishing_a_published_version_again_is_refused_with_a_message(signed_in, administrator):
    version = selectors.policy_in_force()[1]
    response = signed_in(administrator).post(f"/policy/risk-list/{version.pk}/publish/")
    # The version's own page again, with why, answered as a conflict (not a redirect).
    assert response.status_code == 409
    assert response.context["version"].pk == version.pk
    assert "此版本已发布。" in response.content.decode()


def test_get_cannot_publish(signed_in, administrator):
    draft = draft_risk(administrator)
    assert signed_in(administrator).get(f"/policy/risk-list/{draft.pk}/publish/").status_code == 405


def test_an_administrator_discards_a_draft(signed_in, administrator):
    draft = draft_risk(administrator)
    response = signed_in(administrator).post(f"/policy/risk-list/{draft.pk}/discard/")
    assert response.status_code == 302
    assert not RiskListVersion.objects.filter(pk=draft.pk).exists()


def test_a_desk_officer_confirms_a_flagged_traveler(
    signed_in, administrator, airport_desk_officer, leader, thai_traveler
):
    services.publish(version=draft_risk(administrator), by=administrator)
    review = PolicyReview.objects.get()
    client = signed_in(airport_desk_officer)
    page = client.get("/policy/reviews/").content.decode()
    assert thai_traveler.code in page and "曾在泰国" in page
    confirm = {"ids": review.pk, "decision": "confirm", "reason": "泰国已列为高风险"}
    assert signed_in(leader).post("/policy/reviews/decide/", confirm).status_code == 403
    assert client.post("/policy/reviews/decide/", confirm).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFIRMED
    # Deciding otherwise afterwards is refused with a message, not an error page.
    response = client.post("/policy/reviews/decide/", {**confirm, "decision": "dismiss"})
    assert response.status_code == 409 and "已经处理" in response.content.decode()
    assert thai_traveler.code not in client.get("/policy/reviews/").content.decode()


def test_the_decision_include_renders_a_stored_decision_in_the_page_language(city, thai_traveler):
    from liaison.policy.engine import facts_from_record

    record = services.decide(facts=facts_from_record(thai_traveler.facts)).as_record()
    template = Template("{% load policy %}{% policy_decision record %}")
    with translation.override("en"):
        html = template.render(Context({"record": record}))
    assert "Decision: home quarantine, 14 days, site: residence" in html
    assert "everyone_else (Everyone else)" in html
    with translation.override("zh-hans"):
        html = template.render(Context({"record": record}))
    assert "处置：居家隔离" in html and "其他入境人员" in html
    assert "暂无处置决定" in Template("{% load policy %}{% policy_decision None %}").render(
        Context({})
    )


def test_the_api_names_the_versions_in_force(signed_in, leader, sampler_at_t3):
    rules, risk, _policy = selectors.policy_in_force()
    body = signed_in(leader).get("/api/v1/policy/in-force").json()
    assert body["rules"]["id"] == rules.pk and body["risk_list"]["version"] == risk.version
    assert signed_in(sampler_at_t3).get("/api/v1/policy/in-force").status_code == 403
