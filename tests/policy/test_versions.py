"""Policy versions: drafted, published, superseded, never edited; exactly one in force."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.core import audit, reference
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict
from liaison.policy import selectors, services
from liaison.policy.engine import Facts, PolicyError
from liaison.policy.models import ImmutableVersion, RiskListVersion, RulesVersion, VersionStatus
from tests.policy.conftest import ARRIVAL, REFERENCE

pytestmark = pytest.mark.django_db

RISK_WITH_THAILAND = """\
version: "2020-03-26"
entries:
  - {country: IT, level: high, from: 2020-03-10}
  - {country: TH, level: high, from: 2020-03-20}
"""


@pytest.fixture
def policy_author(administrator):
    return administrator


def draft_risk(author, text=RISK_WITH_THAILAND, *, effective_from=None, note="Thailand high"):
    return services.create_draft(
        kind="risk_list",
        text=text,
        author=author,
        note=note,
        effective_from=effective_from or timezone.now(),
    )


def test_the_reference_data_publishes_the_default_policy(city):
    rules, risk, policy = selectors.policy_in_force()
    assert (rules.version, risk.version) == ("2020-03-20.1", "2020-03-20")
    assert rules.status == risk.status == VersionStatus.PUBLISHED
    assert rules.source == (REFERENCE / "default-rules.yaml").read_text(encoding="utf-8")
    assert rules.author is None and rules.author_name == "test"
    assert policy.evaluate(Facts(arrival_date=ARRIVAL)).rule_id == "everyone_else"


def test_loading_the_reference_data_again_adds_no_version(city, settings):
    with audit.acting_as(username="test"):
        report = reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    assert RulesVersion.objects.count() == RiskListVersion.objects.count() == 1
    assert report.unchanged["rules versions"] == 1
    assert "rules versions" not in report.created


def test_a_changed_default_file_becomes_a_new_version(db, settings, tmp_path):
    import shutil

    city = tmp_path / "testcity"
    shutil.copytree(settings.LIAISON_REFERENCE_DIR / "chongqing", city)
    reference.load(city)
    path = city / "policy" / "default-risk-list.yaml"
    text = path.read_text(encoding="utf-8").replace('version: "2020-03-20"', 'version: "r2"')
    path.write_text(text + "  - {country: TH, level: high, from: 2020-03-20}\n", encoding="utf-8")
    reference.load(city)
    old, new = RiskListVersion.objects.order_by("effective_from")
    assert (old.status, new.status) == (VersionStatus.SUPERSEDED, VersionStatus.PUBLISHED)
    assert old.superseded_by == new
    assert selectors.policy_in_force()[1] == new


def test_a_bad_default_file_refuses_the_whole_load_with_file_and_line(db, settings, tmp_path):
    import shutil

    city = tmp_path / "testcity"
    shutil.copytree(settings.LIAISON_REFERENCE_DIR / "chongqing", city)
    path = city / "policy" / "default-risk-list.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "  - {country: XX, level: high, from: 2020-03-20}\n",
        encoding="utf-8",
    )
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(reference.ReferenceDataError) as error:
        reference.load(city)
    assert [str(p) for p in error.value.problems] == [
        f"policy/default-risk-list.yaml:{line}: entries[17].country: unknown country code 'XX' "
        "(not ISO 3166-1 alpha-2)"
    ]
    assert not RulesVersion.objects.exists() and not RiskListVersion.objects.exists()


def test_a_draft_keeps_the_document_as_written_and_changes_nothing_in_force(city, policy_author):
    before = selectors.policy_in_force()[1]
    draft = draft_risk(policy_author, "# Thailand added\n" + RISK_WITH_THAILAND)
    assert draft.status == VersionStatus.DRAFT
    assert draft.source.startswith("# Thailand added\n")
    assert draft.version == "2020-03-26" and draft.author == policy_author
    assert selectors.policy_in_force()[1] == before
    assert AuditEntry.objects.filter(
        action="create", object_type="policy.risklistversion", object_id=str(draft.pk)
    ).exists()


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("risk_list", "version: x\nentries: [\n", "line 3: not valid YAML"),
        (
            "risk_list",
            'version: "x"\nentries:\n  - {country: IT, level: high, from: 2020-03-10, lvl: 2}\n',
            "line 3, entries[0].lvl: unknown field 'lvl'",
        ),
        (
            "risk_list",
            'version: "x"\nentries:\n  - {country: ZZ, level: high, from: 2020-03-10}\n',
            "line 3, entries[0].country: unknown country code 'ZZ'",
        ),
        (
            "risk_list",
            'version: "x"\nentries:\n  - {country: IT, level: medium, from: 2020-03-01}\n'
            "  - {country: IT, level: high, from: 2020-03-10}\n",
            "line 4, entries[1].from: period of IT overlaps its medium period",
        ),
        (
            "rules",
            'version: "x"\nrules:\n  - id: all\n    then: {disposition: exile}\n',
            "line 4, rule 'all', then.disposition: unknown disposition 'exile'",
        ),
        (
            "rules",
            'version: "x"\nrules:\n  - id: hot\n    when: {temperature_at_least: 37.3}\n'
            "    then: {disposition: hospital}\n",
            "line 4, rule 'hot', when: the last rule must be a catch-all",
        ),
    ],
)
def test_a_bad_document_is_refused_with_line_and_reason_and_nothing_is_saved(
    kind, text, expected, city, policy_author
):
    with pytest.raises(PolicyError) as error:
        services.create_draft(
            kind=kind, text=text, author=policy_author, note="n", effective_from=timezone.now()
        )
    assert str(error.value).startswith(expected), str(error.value)
    assert RulesVersion.objects.count() == RiskListVersion.objects.count() == 1


def test_a_published_label_cannot_be_reused(city, policy_author):
    text = RISK_WITH_THAILAND.replace("2020-03-26", "2020-03-20")
    with pytest.raises(PolicyError) as error:
        draft_risk(policy_author, text)
    assert str(error.value).startswith("line 1, version: version '2020-03-20' is already published")


def test_publishing_supersedes_and_the_new_version_is_in_force(city, policy_author):
    old = selectors.policy_in_force()[1]
    result = services.publish(version=draft_risk(policy_author), by=policy_author)
    new = result.version
    assert result.superseded == old
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (VersionStatus.SUPERSEDED, new)
    assert (new.status, new.published_by) == (VersionStatus.PUBLISHED, policy_author)
    assert selectors.policy_in_force()[1] == new
    entry = AuditEntry.objects.filter(
        action="update", object_type="policy.risklistversion", object_id=str(new.pk)
    ).get()
    assert "status" in entry.fields and "published_by" in entry.fields


def test_exactly_one_version_is_in_force_before_and_after_a_future_effective_time(
    city, policy_author
):
    old = selectors.policy_in_force()[1]
    tomorrow = timezone.now() + timedelta(days=1)
    new = services.publish(
        version=draft_risk(policy_author, effective_from=tomorrow), by=policy_author
    ).version
    assert new.effective_from == tomorrow
    assert selectors.policy_in_force()[1] == old
    assert selectors.policy_in_force(tomorrow - timedelta(microseconds=1))[1] == old
    assert selectors.policy_in_force(tomorrow)[1] == new
    assert selectors.policy_in_force(tomorrow + timedelta(days=300))[1] == new
    # Before the first version there is none in force, and deciding says so.
    with pytest.raises(selectors.NoPolicyInForce):
        selectors.policy_in_force(old.effective_from - timedelta(seconds=1))


def test_a_version_must_take_effect_after_the_last_published_one(city, policy_author):
    tomorrow = timezone.now() + timedelta(days=1)
    services.publish(version=draft_risk(policy_author, effective_from=tomorrow), by=policy_author)
    earlier = draft_risk(
        policy_author, RISK_WITH_THAILAND.replace("2020-03-26", "2020-03-27"), note="earlier"
    )
    with pytest.raises(Conflict) as error:
        services.publish(version=earlier, by=policy_author)
    assert "2020-03-26" in error.value.message
    earlier.refresh_from_db()
    assert earlier.status == VersionStatus.DRAFT


def test_a_draft_whose_time_has_passed_takes_effect_when_published_not_before(city, policy_author):
    draft = draft_risk(policy_author, effective_from=timezone.now() - timedelta(days=3))
    before = timezone.now()
    new = services.publish(version=draft, by=policy_author).version
    assert new.effective_from >= before


def test_published_versions_cannot_be_edited_or_deleted(city, policy_author):
    new = services.publish(version=draft_risk(policy_author), by=policy_author).version
    new = RiskListVersion.objects.get(pk=new.pk)
    for field, value in [
        ("source", "version: x\nentries: []\n"),
        ("note", "rewritten"),
        ("effective_from", timezone.now() + timedelta(days=9)),
        ("status", VersionStatus.DRAFT),
    ]:
        edited = RiskListVersion.objects.get(pk=new.pk)
        setattr(edited, field, value)
        with pytest.raises(ImmutableVersion):
            edited.save()
    with pytest.raises(ImmutableVersion):
        new.delete()
    with pytest.raises(Conflict):
        services.publish(version=new, by=policy_author)
    with pytest.raises(Conflict):
        services.discard_draft(version=new, by=policy_author)
    assert RiskListVersion.objects.get(pk=new.pk).note == "Thailand high"


def test_a_draft_can_be_discarded(city, policy_author):
    draft = draft_risk(policy_author)
    services.discard_draft(version=draft, by=policy_author)
    assert not RiskListVersion.objects.filter(pk=draft.pk).exists()


def test_decide_uses_the_versions_in_force_and_names_them(city, policy_author):
    facts = Facts(
        arrival_date=ARRIVAL, history=[{"country": "TH", "date_from": ARRIVAL, "date_to": ARRIVAL}]
    )
    before = services.decide(facts=facts)
    assert before.decision.rule_id == "everyone_else"
    new = services.publish(version=draft_risk(policy_author), by=policy_author).version
    after = services.decide(facts=facts)
    assert after.decision.rule_id == "high_risk_history"
    assert after.risk_list_version_id == new.pk
    record = after.as_record()
    assert record["risk_list_version"] == "2020-03-26"
    assert record["risk_list_version_id"] == new.pk
    # The decision taken before keeps the version that made it.
    assert before.risk_list_version_id != new.pk
    assert before.as_record()["risk_list_version"] == "2020-03-20"


def test_the_compiled_policy_is_cached_by_version_ids(city, policy_author, monkeypatch):
    selectors.clear_cache()
    calls = []
    real = selectors.compile_policy
    monkeypatch.setattr(selectors, "compile_policy", lambda *a: calls.append(a) or real(*a))
    first = selectors.policy_in_force()[2]
    assert selectors.policy_in_force()[2] is first
    assert len(calls) == 1
    services.publish(version=draft_risk(policy_author), by=policy_author)
    second = selectors.policy_in_force()[2]
    assert second is not first and second.risk_list_version == "2020-03-26"
    compiled = len(calls)
    assert selectors.policy_in_force()[2] is second
    assert len(calls) == compiled
