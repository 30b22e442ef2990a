"""The one list of countries and regions (liaison/core/countries.py): the Chinese names as the
Ministry of Foreign Affairs writes them, Taiwan, Hong Kong and Macao as regions of China, the
reader's order, and the same list in every traveler language."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django_countries import countries as django_countries

from liaison.core import countries
from liaison.core.normalize import country_name as normalized_country_name

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def names(language: str) -> list[str]:
    return [name for _code, name in countries.places(language)]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("NP", "尼泊尔"),
        ("TJ", "塔吉克斯坦"),
        ("WS", "萨摩亚"),
        ("AS", "美属萨摩亚"),
        ("MK", "北马其顿"),
        ("DM", "多米尼克"),
        ("DO", "多米尼加"),
        ("CG", "刚果（布）"),
        ("CD", "刚果（金）"),
        ("BA", "波斯尼亚和黑塞哥维那"),
        ("KG", "吉尔吉斯斯坦"),
        ("BW", "博茨瓦纳"),
        ("KP", "朝鲜"),
        ("KR", "韩国"),
        ("CI", "科特迪瓦"),
        ("CV", "佛得角"),
        ("SZ", "斯威士兰"),
        ("CZ", "捷克"),
        ("TR", "土耳其"),
        ("MM", "缅甸"),
        ("LA", "老挝"),
        ("BN", "文莱"),
        ("TL", "东帝汶"),
        ("TW", "中国台湾"),
        ("HK", "中国香港"),
        ("MO", "中国澳门"),
    ],
)
def test_chinese_names_are_the_foreign_ministrys(code, name):
    assert countries.country_name(code, "zh-hans") == name
    # The same name wherever django-countries is asked (a CountryField's .name, its choices).
    with translation.override("zh-hans"):
        assert django_countries.name(code) == name
    assert normalized_country_name(code, "zh-hans") == name


def test_no_two_places_share_a_name_in_any_language():
    # Samoa was listed as 美属萨摩亚群岛, the name of American Samoa, twice.
    for language in LANGUAGES:
        listed = names(language)
        assert len(listed) == len(set(listed)), language


def test_no_chinese_name_has_stray_spaces():
    assert all(name == name.strip() for name in names("zh-hans"))


def test_chinese_names_are_in_pinyin_order():
    listed = names("zh-hans")
    assert listed.index("阿尔巴尼亚") < listed.index("巴西") < listed.index("中国")
    assert listed[0] == "阿尔巴尼亚"  # a er
    # Neighbours at the end of the alphabet: zhi li, zhong fei, zhong guo, zhong guo ao men ...
    at = listed.index("智利")
    assert listed[at : at + 6] == ["智利", "中非", "中国", "中国澳门", "中国台湾", "中国香港"]
    # 德国 (de) before 丹麦 would be stroke or code-point order; pinyin puts dan before de.
    assert listed.index("丹麦") < listed.index("德国") < listed.index("东帝汶")
    # Readings of names, not of the characters alone: 佛得角 is fó dé jiǎo, 朝鲜 cháo xiǎn.
    assert countries.sort_key("佛得角", "zh-hans")[0][0] == ("fo", "2")
    assert countries.sort_key("朝鲜", "zh-hans")[0][0] == ("chao", "2")


def test_other_languages_sort_by_their_alphabet():
    english = names("en")
    assert english.index("Afghanistan") < english.index("Åland Islands") < english.index("Albania")
    german = names("de")
    assert german.index("Oman") < german.index("Österreich") < german.index("Pakistan")
    ukrainian = names("uk")
    # и, і, ї, й are four letters in that order, as are е, є.
    assert ukrainian.index("Італія") < ukrainian.index("Йорданія") < ukrainian.index("Казахстан")
    assert ukrainian.index("Ефіопія") < ukrainian.index("Єгипет") < ukrainian.index("Ємен")
    persian = names("fa")
    # پ (pe) comes after ب (be), not after ي at the end of the Arabic block.
    assert persian.index("بلژیک") < persian.index("پاکستان") < persian.index("تاجیکستان")


def test_the_regions_of_china_are_places_not_nationalities():
    places = {code for code, _name in countries.places("en")}
    nationalities = {code for code, _name in countries.nationalities("en")}
    assert {"TW", "HK", "MO"} <= places
    assert not {"TW", "HK", "MO"} & nationalities
    assert places - nationalities == {"TW", "HK", "MO"}
    assert countries.is_place("HK") and not countries.is_nationality("HK")
    with translation.override("en"):
        assert "choose China as the nationality" in countries.nationality_problem("TW")
    with translation.override("zh-hans"):
        assert "国籍请选择“中国”" in countries.nationality_problem("MO")
    assert countries.nationality_problem("CN") is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["中国台湾", "中国香港", "中国澳门"]),
        ("zh-hant", ["中國台灣", "中國香港", "中國澳門"]),
        ("en", ["Taiwan, China", "Hong Kong SAR, China", "Macao SAR, China"]),
        ("ko", ["중국 대만", "중국 홍콩 특별행정구", "중국 마카오 특별행정구"]),
        ("ru", ["Тайвань, Китай", "САР Гонконг, Китай", "САР Макао, Китай"]),
        ("fr", ["Taïwan, Chine", "RAS de Hong Kong, Chine", "RAS de Macao, Chine"]),
    ],
)
def test_the_regions_are_named_as_regions_of_china(language, expected):
    listed = dict(countries.places(language))
    assert [listed["TW"], listed["HK"], listed["MO"]] == expected


def test_every_language_lists_the_same_places_each_with_a_name():
    english = [code for code, _name in countries.places("en")]
    assert len(english) == len(django_countries.countries) == 249
    for language in LANGUAGES:
        listed = countries.places(language)
        assert sorted(code for code, _name in listed) == sorted(english), language
        assert all(name.strip() and name != code for code, name in listed), language
        # Every region of China is translated, not left in English.
        if language != "en":
            assert dict(listed)["HK"] != "Hong Kong SAR, China", language


def test_form_choices_follow_the_active_language():
    with translation.override("zh-hans"):
        nationality = countries.nationality_choices()
        place = countries.place_choices()
    assert nationality[0] == ("", "—") and ("CN", "中国") in nationality
    assert ("HK", "中国香港") in place and "HK" not in dict(nationality)


def test_the_template_filter_shows_a_code_by_its_name():
    template = Template("{% load country_names %}{{ code|country_name }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"code": "NP"})) == "尼泊尔"
    with translation.override("en"):
        assert template.render(Context({"code": "MO"})) == "Macao SAR, China"
        # Not a country: shown as stored, never an empty cell.
        assert template.render(Context({"code": "XX"})) == "XX"
