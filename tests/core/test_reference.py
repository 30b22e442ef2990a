"""Loading a city's reference data: complete, idempotent, and all-or-nothing."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from liaison.core import reference
from liaison.core.models import AuditEntry, Jurisdiction, PortOfEntry, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_files(tmp_path, settings):
    target = tmp_path / "testcity"
    shutil.copytree(settings.LIAISON_REFERENCE_DIR / "chongqing", target)
    return target


def test_default_city_has_41_jurisdictions_with_both_names_and_codes(settings):
    report = reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    assert Jurisdiction.objects.count() == 41
    kinds = {k: Jurisdiction.objects.filter(kind=k).count() for k in Jurisdiction.Kind.values}
    assert kinds == {"district": 26, "county": 8, "autonomous_county": 4, "functional_zone": 3}
    yubei = Jurisdiction.objects.get(code="500112")
    assert (yubei.name_zh, yubei.name_en) == ("渝北区", "Yubei District")
    assert PortOfEntry.objects.get(code="CKG").icao == "ZUCK"
    assert Site.objects.filter(kind="quarantine_hotel", capacity__gt=0).exists()
    assert report.created["jurisdictions"] == 41


def test_loading_twice_changes_nothing(settings):
    reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    entries = AuditEntry.objects.count()
    report = reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    assert report.created == {} and report.updated == {}
    assert report.unchanged["jurisdictions"] == 41
    assert AuditEntry.objects.count() == entries


def test_a_changed_row_is_updated_in_place(city_files):
    reference.load(city_files)
    path = city_files / "sites.csv"
    text = path.read_text().replace(",220,", ",250,")
    path.write_text(text.replace(",+86 23 0000 7006\n", ",+86 23 0000 7106\n"), encoding="utf-8")
    report = reference.load(city_files)
    assert report.updated == {"sites": 1}
    site = Site.objects.get(code="QH-YB-01")
    assert (site.capacity, site.hotline) == (250, "+86 23 0000 7106")


def test_unknown_jurisdiction_in_sites_refuses_the_whole_load(city_files):
    path = city_files / "sites.csv"
    path.write_text(
        path.read_text() + "QH-X,quarantine_hotel,某酒店,Some hotel,999999,,10\n", encoding="utf-8"
    )
    line = len(path.read_text().splitlines())
    with pytest.raises(reference.ReferenceDataError) as error:
        reference.load(city_files)
    assert str(error.value) == f"sites.csv:{line}: unknown jurisdiction code '999999'"
    # Nothing half-loaded: not even the good jurisdictions file.
    assert Jurisdiction.objects.count() == 0
    assert Site.objects.count() == 0


def test_every_problem_is_named_with_file_and_line(city_files):
    (city_files / "jurisdictions.csv").write_text(
        "code,kind,name_zh,name_en\n500101,district,万州区,Wanzhou\n500101,district,x,y\n"
        "500102,planet,涪陵区,Fuling\n500103,district,,Yuzhong\n",
        encoding="utf-8",
    )
    with pytest.raises(reference.ReferenceDataError) as error:
        reference.load(city_files)
    problems = [str(p) for p in error.value.problems]
    assert "jurisdictions.csv:3: code '500101' appears twice" in problems
    assert any(p.startswith("jurisdictions.csv:4: unknown kind 'planet'") for p in problems)
    assert "jurisdictions.csv:5: 'name_zh' is empty" in problems


def test_a_file_that_is_not_utf8_is_refused(city_files):
    (city_files / "ports.csv").write_bytes("code,kind\nCKG,机场\n".encode("gbk"))
    with pytest.raises(reference.ReferenceDataError, match="ports.csv:0: not UTF-8"):
        reference.load(city_files)


def test_the_command_names_the_problem_and_loads_nothing(city_files):
    (city_files / "sites.csv").write_text(
        "code,kind,name_zh,name_en,jurisdiction,address,capacity\n"
        "S1,sampling_site,a,b,500112,,many\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="sites.csv:2: capacity 'many' is not a count"):
        call_command("load_reference", dir=city_files)
    assert Jurisdiction.objects.count() == 0


def test_another_city_loads_its_own_files(tmp_path):
    other = tmp_path / "othercity"
    other.mkdir()
    (other / "jurisdictions.csv").write_text(
        "code,kind,name_zh,name_en\nD1,district,一区,District One\n", encoding="utf-8"
    )
    (other / "ports.csv").write_text(
        "code,kind,name_zh,name_en,iata,icao,jurisdiction\nXYZ,airport,机场,Airport,XYZ,ZXYZ,D1\n",
        encoding="utf-8",
    )
    (other / "sites.csv").write_text(
        "code,kind,name_zh,name_en,jurisdiction,address,capacity\n", encoding="utf-8"
    )
    call_command("load_reference", dir=other)
    assert list(Jurisdiction.objects.values_list("code", flat=True)) == ["D1"]
