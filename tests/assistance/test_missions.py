"""The foreign-mission directory: loaded from the city's files, and who serves whom."""

import shutil

import pytest

from liaison.assistance.models import Mission, MissionContact, MissionCoverage
from liaison.assistance.selectors import mission_serving, missions_serving
from liaison.core import reference
from liaison.core.models import AuditEntry, Jurisdiction

pytestmark = pytest.mark.django_db


def test_the_directory_holds_consulates_embassies_and_the_hong_kong_and_macao_offices(city):
    kinds = set(Mission.objects.values_list("kind", flat=True))
    assert {"consulate_general", "embassy", "hk_macao_office"} <= kinds
    in_chongqing = Mission.objects.filter(city="Chongqing", kind="consulate_general")
    assert {"GB", "CA", "JP", "KR", "IT", "NL"} <= {str(m.country) for m in in_chongqing}
    assert Mission.objects.get(code="HK-ETO-CTU").country == "HK"
    italy = Mission.objects.get(code="IT-CG-CKG")
    assert italy.languages == ["it", "en"]
    assert set(italy.coverage.values_list("region", flat=True)) == {"50", "51", "52", "53"}
    assert italy.contacts.count() == 2


def test_a_korean_national_in_yubei_is_served_by_the_consulate_whose_district_covers_chongqing(
    yubei,
):
    mission = mission_serving(nationality="KR", jurisdiction=yubei)
    assert mission.code == "KR-CG-CKG"
    # The Chengdu consulate general's district does not include Chongqing; the embassy does, but
    # a consulate covering the province comes first.
    assert [m.code for m in missions_serving(nationality="KR", jurisdiction=yubei)] == [
        "KR-CG-CKG",
        "KR-EMB",
    ]


def test_a_consulate_in_a_neighbouring_city_serves_when_its_district_covers_the_city(yubei):
    assert mission_serving(nationality="US", jurisdiction=yubei).code == "US-CG-CTU"
    assert mission_serving(nationality="DE", jurisdiction=yubei).code == "DE-CG-CTU"
    assert mission_serving(nationality="AU", jurisdiction=yubei).code == "AU-CG-CTU"


def test_without_a_consulate_covering_the_city_the_embassy_serves(yubei):
    assert mission_serving(nationality="IR", jurisdiction=yubei).code == "IR-EMB"


def test_hong_kong_and_macao_residents_are_served_by_their_offices_taiwan_by_none(yubei):
    assert mission_serving(nationality="HK", jurisdiction=yubei).code == "HK-ETO-CTU"
    assert mission_serving(nationality="MO", jurisdiction=yubei).code == "MO-OFF-BJ"
    assert mission_serving(nationality="TW", jurisdiction=yubei) is None
    assert mission_serving(nationality="NZ", jurisdiction=yubei) is None


def test_a_functional_zone_or_an_unknown_jurisdiction_is_in_the_city(city):
    liangjiang = Jurisdiction.objects.get(code="CQ-LJ")
    assert mission_serving(nationality="KR", jurisdiction=liangjiang).code == "KR-CG-CKG"
    assert mission_serving(nationality="kr").code == "KR-CG-CKG"


def test_a_district_named_for_one_jurisdiction_beats_the_province(yubei, jiangbei):
    honorary = Mission.objects.create(
        code="KR-HON-YB", kind="honorary_consulate", country="KR", name_zh="测试", name_en="Test"
    )
    MissionCoverage.objects.create(mission=honorary, region=yubei.code)
    assert mission_serving(nationality="KR", jurisdiction=yubei) == honorary
    assert mission_serving(nationality="KR", jurisdiction=jiangbei).code == "KR-CG-CKG"
    honorary.active = False
    honorary.save()
    assert mission_serving(nationality="KR", jurisdiction=yubei).code == "KR-CG-CKG"


def test_loading_the_directory_twice_changes_nothing(city, settings):
    entries = AuditEntry.objects.count()
    coverage = list(MissionCoverage.objects.values_list("id", flat=True))
    report = reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    assert report.created == {} and report.updated == {}
    assert report.unchanged["foreign missions"] == Mission.objects.count() > 20
    assert AuditEntry.objects.count() == entries
    assert list(MissionCoverage.objects.values_list("id", flat=True)) == coverage


@pytest.fixture
def city_files(tmp_path, settings):
    target = tmp_path / "testcity"
    shutil.copytree(settings.LIAISON_REFERENCE_DIR / "chongqing", target)
    return target


def test_a_changed_district_and_contact_are_updated_in_place(city_files, db):
    reference.load(city_files)
    path = city_files / "missions.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("ko zh,50 52\n", "ko zh,50 52 45\n"),
        encoding="utf-8",
    )
    contacts = city_files / "missions-contacts.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace("Contact F,Consul", "Contact F,Vice-consul"),
        encoding="utf-8",
    )
    korea = Mission.objects.get(code="KR-CG-CKG")
    report = reference.load(city_files)
    assert report.updated == {"foreign missions": 1}
    assert set(korea.coverage.values_list("region", flat=True)) == {"50", "52", "45"}
    assert korea.contacts.get().title == "Vice-consul (example)"


def test_bad_rows_refuse_the_whole_load_naming_file_and_line(city_files, db):
    (city_files / "missions.csv").write_text(
        "code,kind,country,name_zh,name_en,city,address_zh,address_en,phone,duty_phone,email,"
        "languages,coverage\n"
        "KR-CG-CKG,consulate_general,KR,韩国,Korea,Chongqing,,,,,,ko,50\n"
        "XX-1,palace,KR,x,y,Chongqing,,,,,,ko,50\n"
        "XX-2,embassy,ZZ,x,y,Beijing,,,,,not-an-email,en,CN\n"
        "XX-3,embassy,FR,x,y,Beijing,,,,,,fr,99 Mars\n"
        "KR-CG-CKG,consulate_general,KR,韩国,Korea,Chongqing,,,,,,ko,\n",
        encoding="utf-8",
    )
    (city_files / "missions-contacts.csv").write_text(
        "mission,name,title,languages,phone,email\nNOPE,Someone,,,,\n", encoding="utf-8"
    )
    with pytest.raises(reference.ReferenceDataError) as error:
        reference.load(city_files)
    problems = {str(p) for p in error.value.problems}
    assert any(p.startswith("missions.csv:3: unknown kind 'palace'") for p in problems)
    assert "missions.csv:4: unknown country code 'ZZ'" in problems
    assert "missions.csv:4: 'not-an-email' is not an e-mail address" in problems
    assert any(p.startswith("missions.csv:5: unknown region '99'") for p in problems)
    assert any(p.startswith("missions.csv:5: unknown region 'Mars'") for p in problems)
    assert "missions.csv:6: code 'KR-CG-CKG' appears twice" in problems
    assert "missions.csv:6: 'coverage' is empty" in problems
    assert "missions-contacts.csv:2: unknown mission code 'NOPE'" in problems
    # Nothing half-loaded: not the missions, and not the city's other files either.
    assert Mission.objects.count() == 0
    assert MissionContact.objects.count() == 0
    assert Jurisdiction.objects.count() == 0


def test_a_city_without_a_directory_loads_without_one(city_files, db):
    (city_files / "missions.csv").unlink()
    (city_files / "missions-contacts.csv").unlink()
    reference.load(city_files)
    assert Jurisdiction.objects.exists()
    assert not Mission.objects.exists()
