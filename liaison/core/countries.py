"""Countries and regions: the one list every form, page, import and API uses.

The list is django-countries' (ISO 3166-1), changed only through its supported setting,
``COUNTRIES_OVERRIDE`` (``liaison.settings`` takes ``COUNTRIES_OVERRIDE`` from here), so a
``CountryField``'s ``.name``, ``django_countries.countries`` and the functions below all agree:

1. Chinese names as the Ministry of Foreign Affairs of the PRC writes them (its list of
   countries, https://www.mfa.gov.cn/web/gjhdq_676201/, and for territories GB/T 2659.1-2022,
   the national standard of country and region names) wherever django-countries' zh_Hans
   catalogue differs: ``MFA_ZH_HANS``; in zh_Hant, two territories named as other countries
   (``ZH_HANT``).
2. Taiwan, Hong Kong and Macao are named as regions of China in every language
   ("Taiwan, China", "Hong Kong SAR, China", "Macao SAR, China"); they are places, never a
   nationality: their residents are Chinese nationals travelling on a mainland travel permit
   (``liaison.arrivals.choices.DocumentType``). ``nationality_choices`` leaves them out and
   ``nationality_problem`` says why.
3. Sorted for the reader: Chinese by pinyin (pypinyin), other languages by their alphabet
   (``sort_key``).

Nothing here imports a model: settings import this module.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

HOME_COUNTRY = "CN"
# Regions of China: places one travels from, not nationalities.
REGIONS_OF_CHINA = ("TW", "HK", "MO")

REGION_NOT_A_NATIONALITY = _(
    "Taiwan, Hong Kong and Macao are regions of China: choose China as the nationality and, "
    "as the travel document, the Mainland Travel Permit of your region."
)

# Where django-countries' zh_Hans catalogue differs from the MFA's names (source: the MFA's
# list of countries and regions, https://www.mfa.gov.cn/web/gjhdq_676201/; territories the MFA
# does not list: GB/T 2659.1-2022). Reviewed code by code against django-countries 9.1.
MFA_ZH_HANS = {
    "AS": "美属萨摩亚",  # was 美属萨摩亚群岛
    "AW": "阿鲁巴",  # was 阿鲁巴岛
    "BA": "波斯尼亚和黑塞哥维那",  # was cut short: 波斯尼亚和黑塞哥维
    "BL": "圣巴泰勒米",  # was 圣巴托洛缪岛
    "BQ": "荷兰加勒比区",  # was 荷属加勒比
    "BS": "巴哈马",  # was 巴哈马群岛
    "BW": "博茨瓦纳",  # was 博兹瓦纳
    "CC": "科科斯（基林）群岛",  # half-width brackets
    "CD": "刚果（金）",  # the MFA's name; was 刚果民主共和国
    "CF": "中非",  # was 中非共和国
    "CG": "刚果（布）",  # the MFA's name; was 刚果
    "DM": "多米尼克",  # Dominica; was 多米尼加, the name of the Dominican Republic
    "DO": "多米尼加",  # the MFA's name; was 多米尼加共和国
    "FK": "马尔维纳斯群岛（福克兰）",
    "GF": "法属圭亚那",  # was 法属奎亚那
    "GP": "瓜德罗普",  # was 瓜德罗普岛
    "KG": "吉尔吉斯斯坦",  # was 吉尔吉斯
    "KM": "科摩罗",  # was 科摩罗伊斯兰联邦共和国
    "LR": "利比里亚",  # was 利比里亚共和国
    "MK": "北马其顿",  # renamed 2019; was 马其顿
    "ML": "马里",  # was 马里共和国
    "NP": "尼泊尔",  # was 尼珀尔
    "PN": "皮特凯恩群岛",  # was 皮特开恩群岛
    "RE": "留尼汪",  # was 法属留尼汪岛
    "SJ": "斯瓦尔巴群岛和扬马延岛",  # a leading space
    "SR": "苏里南",  # was 苏里南共和国
    "TJ": "塔吉克斯坦",  # was 塔吉克斯斯坦
    "TT": "特立尼达和多巴哥",  # was 特立尼达和多巴哥共和国
    "UM": "美国本土外小岛屿",  # was 美属边疆群岛
    "WF": "瓦利斯和富图纳",  # was 瓦利斯群岛和富图纳群岛
    "WS": "萨摩亚",  # Samoa; was 美属萨摩亚群岛, the name of American Samoa
}

# django-countries' zh_Hant catalogue gives two territories the name of another country.
ZH_HANT = {
    "GL": "格陵蘭",  # Greenland; was 冰島, the name of Iceland
    "MQ": "馬丁尼克",  # Martinique; was 茅利塔尼亞, the name of Mauritania
}

# Translated like every other label (liaison/core/locale/*), named as regions of China.
REGION_NAMES = {
    "TW": _("Taiwan, China"),
    "HK": _("Hong Kong SAR, China"),
    "MO": _("Macao SAR, China"),
}


def _corrections(language: str | None) -> dict[str, str]:
    language = (language or "").lower()
    if language in {"zh-hans", "zh-cn", "zh-sg", "zh-my"}:
        return MFA_ZH_HANS
    if language in {"zh-hant", "zh-tw", "zh-hk", "zh-mo"}:
        return ZH_HANT
    return {}


def _django_countries_name(code: str) -> str:
    """The name django-countries itself gives ``code`` in the active language: its common
    name, else its official one, else an older one, the first that the language translates."""
    from django_countries import Countries, no_translation_fallback
    from django_countries.data import COUNTRIES

    official = COUNTRIES[code]
    common = Countries.COMMON_NAMES.get(code)
    candidates = [n for n in (common, official) if n] + Countries.OLD_NAMES.get(code, [])
    with no_translation_fallback():
        for candidate in candidates:
            if text := force_str(candidate):
                return text
    return force_str(candidates[0])


def _corrected_name(code: str):
    """A name that is the corrected one in the language that needed it, django-countries'
    own in every other (lazy: read in the reader's language)."""

    def name() -> str:
        corrected = _corrections(translation.get_language()).get(code)
        return corrected or _django_countries_name(code)

    return lazy(name, str)()


COUNTRIES_OVERRIDE = {
    **{code: _corrected_name(code) for code in {*MFA_ZH_HANS, *ZH_HANT}},
    **REGION_NAMES,
}


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def country_name(code: str, language: str | None = None) -> str:
    """The name of a country or region in ``language`` (by default the reader's); the code
    itself when it names none."""
    return _name((code or "").strip().upper(), _language(language))


@lru_cache(maxsize=8192)
def _name(code: str, language: str) -> str:
    # Cached: a results file drafts thousands of letters, a policy preview thousands of reasons.
    from django_countries import countries

    with translation.override(language):
        return countries.name(code) or code


def is_place(code: str) -> bool:
    """A country or region one can be, travel from or pass through (ISO 3166-1 alpha-2)."""
    from django_countries import countries

    return isinstance(code, str) and code in countries.countries


def is_nationality(code: str) -> bool:
    return is_place(code) and code not in REGIONS_OF_CHINA


def nationality_problem(code: str) -> str | None:
    """Why ``code`` cannot be a nationality, or None when it can."""
    if code in REGIONS_OF_CHINA:
        return str(REGION_NOT_A_NATIONALITY)
    if not is_place(code):
        return str(_("Choose a country or region from the list."))
    return None


def places(language: str | None = None) -> tuple[tuple[str, str], ...]:
    """Every country and region as (code, name), in the reader's order."""
    return _sorted(_language(language))


def nationalities(language: str | None = None) -> tuple[tuple[str, str], ...]:
    """The countries one can be a national of, as (code, name), in the reader's order."""
    return tuple(p for p in places(language) if p[0] not in REGIONS_OF_CHINA)


def place_choices() -> list[tuple[str, str]]:
    """A form's choices of a place (callable: evaluated in the language of each request)."""
    return [("", "—"), *places()]


def nationality_choices() -> list[tuple[str, str]]:
    return [("", "—"), *nationalities()]


@lru_cache(maxsize=32)
def _sorted(language: str) -> tuple[tuple[str, str], ...]:
    from django_countries import countries

    with translation.override(language):
        named = [(code, countries.name(code)) for code in countries.countries]
    return tuple(sorted(named, key=lambda item: (sort_key(item[1], language), item[0])))


# Letters that are letters of their own in a language, placed after the one they resemble (a
# string compared after every word of that letter: "ґ" → "г" + the highest code point). Other
# accents are folded away (é, ä, å sort with e, a), as dictionaries of French, German, Italian
# and Portuguese do; a tie is broken by the unfolded name.
_LAST = "\U0010ffff"
_TAILORING = {
    "es": {"ñ": "n" + _LAST},
    "ru": {"й": "и" + _LAST},
    "uk": {
        "ґ": "г" + _LAST,
        "є": "е" + _LAST,
        "і": "и" + _LAST,
        "ї": "и" + _LAST * 2,
        "й": "и" + _LAST * 3,
    },
    # Persian letters outside the Arabic block, and و before ه.
    "fa": {
        "پ": "ب" + _LAST,
        "چ": "ج" + _LAST,
        "ژ": "ز" + _LAST,
        "ک": "ق" + _LAST,
        "ك": "ق" + _LAST,
        "گ": "ق" + _LAST * 2,
        "ه": "و" + _LAST,
        "ی": "ي",
    },
}


@lru_cache(maxsize=1)
def _read_country_names() -> None:
    # Readings pypinyin's dictionary gets wrong in country names (its own phrase mechanism):
    # 佛 is fó in 佛得角 (not fú), 勒 lè in 加勒比 (not lēi), 干 gān in 乌干达 (not gàn).
    from pypinyin import load_phrases_dict

    load_phrases_dict(
        {
            "佛得角": [["fó"], ["dé"], ["jiǎo"]],
            "加勒比": [["jiā"], ["lè"], ["bǐ"]],
            "乌干达": [["wū"], ["gān"], ["dá"]],
        }
    )


def sort_key(name: str, language: str) -> tuple:
    """Where ``name`` sorts in ``language``.

    Chinese by the pinyin of each character, then its tone (pypinyin, maintained, with its
    dictionary of readings of words: 重庆 is chong, not zhong): 阿尔巴尼亚, 巴西, …, 中国.
    Other languages by the language's alphabet: case and accents folded (Unicode
    decomposition), letters of their own tailored (``_TAILORING``); Japanese names, written in
    kana, sort in the order of the kana table; Korean ones by their jamo.
    """
    if language.lower().startswith("zh"):
        from pypinyin import Style, lazy_pinyin

        _read_country_names()
        syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
        return (
            tuple((s.rstrip("12345"), s[-1:] if s[-1:].isdigit() else "") for s in syllables),
            name,
        )
    tailoring = _TAILORING.get(language.split("-")[0], {})
    text = "".join(tailoring.get(char, char) for char in name.casefold())
    folded = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    return (folded, name.casefold(), name)
