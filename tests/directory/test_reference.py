"""The directory as reference data, and who serves whom (moved from tests/assistance)."""

import shutil

import pytest

from liaison.core import reference
from liaison.core.models import AuditEntry, Jurisdiction
from liaison.directory.models import ConsularDistrict, Organization, Person
from liaison.directory.serving import mission_serving, missions_serving

pytestmark = pytest.mark.django_db


def test_the_directory_holds_consulates_embassies_and_the_hong_kong_and_macao_offices(city):
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert {"consulate_general", "embassy", "hk_macao_office"} <= kinds
    in_chongqing = Organization.objects.filter(city="Chongqing", kind="consulate_general")
    assert {"GB", "CA", "JP", "KR", "IT", "NL"} <= {str(m.country) for m in in_chongqing}
    assert Organization.objects.get(code="HK-ETO-CTU").country == "HK"
    italy = Organization.objects.get(code="IT-CG-CKG")
    assert italy.languages == ["it", "en"]
    assert set(italy.districts.values_list("region", flat=True)) == {"50", "51", "52", "53"}
    assert italy.people.count() == 2


def test_a_korean_national_in_yubei_is_served_by_the_consulate_whose_district_covers_chongqing(
    yubei,
):
    mission = mission_serving(nationality="KR", jurisdiction=yubei)
    assert mission.code == "KR-CG-CKG"
    # The Chengdu consulate general's district includes Chongqing too (the director-general
    # phoned its consul general in March 2020); the embassy covers the whole country, after.
    assert [m.code for m in missions_serving(nationality="KR", jurisdiction=yubei)] == [
        "KR-CG-CKG",
        "KR-CG-CTU",
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
    honorary = Organization.objects.create(
        code="KR-HON-YB", kind="honorary_consulate", country="KR", name_zh="测试", name_en="Test"
    )
    ConsularDistrict.objects.create(organization=honorary, region=yubei.code)
    assert mission_serving(nationality="KR", jurisdiction=yubei) == honorary
    assert mission_serving(nationality="KR", jurisdiction=jiangbei).code == "KR-CG-CKG"
    honorary.active = False
    honorary.save()
    assert mission_serving(nationality="KR", jurisdiction=yubei).code == "KR-CG-CKG"


def test_loading_the_directory_twice_changes_nothing(city, settings):
    entries = AuditEntry.objects.count()
    coverage = list(ConsularDistrict.objects.values_list("id", flat=True))
    people = list(Person.objects.values_list("id", "title_en", "phone"))
    report = reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    assert report.created == {} and report.updated == {}
    assert report.unchanged["organizations"] == Organization.objects.count() > 40
    assert report.unchanged["people"] == Person.objects.count() > 10
    assert list(Person.objects.values_list("id", "title_en", "phone")) == people
    assert AuditEntry.objects.count() == entries
    assert list(ConsularDistrict.objects.values_list("id", flat=True)) == coverage


@pytest.fixture
def city_files(tmp_path, settings):
    target = tmp_path / "testcity"
    shutil.copytree(settings.LIAISON_REFERENCE_DIR / "chongqing", target)
    return target


def test_a_changed_district_and_contact_are_updated_in_place(city_files, db):
    reference.load(city_files)
    path = city_files / "organizations.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("ko zh,50 52\n", "ko zh,50 52 45\n"),
        encoding="utf-8",
    )
    contacts = city_files / "people.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8").replace(
            "Contact F,,,Consul", "Contact F,,,Vice-consul"
        ),
        encoding="utf-8",
    )
    korea = Organization.objects.get(code="KR-CG-CKG")
    person = korea.people.get()
    report = reference.load(city_files)
    assert report.updated == {"organizations": 1, "people": 1}
    assert korea.people.get().pk == person.pk  # corrected in place, its history kept
    assert set(korea.districts.values_list("region", flat=True)) == {"50", "52", "45"}
    assert korea.people.get().title == "Vice-consul (example)"


def test_bad_rows_refuse_the_whole_load_naming_file_and_line(city_files, db):
    (city_files / "organizations.csv").write_text(
        "code,kind,country,parent,name_zh,name_en,city,address_zh,address_en,phone,duty_phone,"
        "email,languages,districts\n"
        "KR-CG-CKG,consulate_general,KR,,韩国,Korea,Chongqing,,,,,,ko,50\n"
        "XX-1,palace,KR,,x,y,Chongqing,,,,,,ko,50\n"
        "XX-2,embassy,ZZ,,x,y,Beijing,,,,,not-an-email,en,CN\n"
        "XX-3,embassy,FR,,x,y,Beijing,,,,,,fr,99 Mars\n"
        "KR-CG-CKG,consulate_general,KR,,韩国,Korea,Chongqing,,,,,,ko,\n"
        "XX-4,ministry,UA,XX-4,x,y,Kyiv,,,,,,uk,\n"
        "XX-5,ministry,UA,NOWHERE,x,y,Kyiv,,,,,,uk,\n",
        encoding="utf-8",
    )
    (city_files / "people.csv").write_text(
        "organization,name_latin,name_zh,accreditation\nNOPE,Someone,,\nXX-2,,,\n"
        "XX-2,Someone,,palace\n",
        encoding="utf-8",
    )
    with pytest.raises(reference.ReferenceDataError) as error:
        reference.load(city_files)
    problems = {str(p) for p in error.value.problems}
    assert any(p.startswith("organizations.csv:3: unknown kind 'palace'") for p in problems)
    assert "organizations.csv:4: unknown country code 'ZZ'" in problems
    assert "organizations.csv:4: 'not-an-email' is not an e-mail address" in problems
    assert any(p.startswith("organizations.csv:5: unknown region '99'") for p in problems)
    assert any(p.startswith("organizations.csv:5: unknown region 'Mars'") for p in problems)
    assert "organizations.csv:6: code 'KR-CG-CKG' appears twice" in problems
    assert any(p.startswith("organizations.csv:6: 'districts' is empty") for p in problems)
    assert "organizations.csv:7: an organization cannot be part of itself" in problems
    assert "organizations.csv:8: unknown parent organization 'NOWHERE'" in problems
    assert "people.csv:2: unknown organization code 'NOPE'" in problems
    assert "people.csv:3: no name (name_native, name_latin or name_zh)" in problems
    assert "people.csv:4: unknown accreditation 'palace'" in problems
    # Nothing half-loaded: not the missions, and not the city's other files either.
    assert Organization.objects.count() == 0
    assert Person.objects.count() == 0
    assert Jurisdiction.objects.count() == 0


def test_a_city_without_a_directory_loads_without_one(city_files, db):
    (city_files / "organizations.csv").unlink()
    (city_files / "people.csv").unlink()
    reference.load(city_files)
    assert Jurisdiction.objects.exists()
    assert not Organization.objects.exists()
