"""China's province-level divisions by GB/T 2260 code, to name a consular district's regions.

National, not a city's data: any deployment's consular districts are written in these codes
(or in the county-level codes of its own jurisdictions).
"""

from django.utils import translation

WHOLE_COUNTRY = "CN"

PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("北京市", "Beijing"),
    "12": ("天津市", "Tianjin"),
    "13": ("河北省", "Hebei"),
    "14": ("山西省", "Shanxi"),
    "15": ("内蒙古自治区", "Inner Mongolia"),
    "21": ("辽宁省", "Liaoning"),
    "22": ("吉林省", "Jilin"),
    "23": ("黑龙江省", "Heilongjiang"),
    "31": ("上海市", "Shanghai"),
    "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"),
    "34": ("安徽省", "Anhui"),
    "35": ("福建省", "Fujian"),
    "36": ("江西省", "Jiangxi"),
    "37": ("山东省", "Shandong"),
    "41": ("河南省", "Henan"),
    "42": ("湖北省", "Hubei"),
    "43": ("湖南省", "Hunan"),
    "44": ("广东省", "Guangdong"),
    "45": ("广西壮族自治区", "Guangxi"),
    "46": ("海南省", "Hainan"),
    "50": ("重庆市", "Chongqing"),
    "51": ("四川省", "Sichuan"),
    "52": ("贵州省", "Guizhou"),
    "53": ("云南省", "Yunnan"),
    "54": ("西藏自治区", "Tibet"),
    "61": ("陕西省", "Shaanxi"),
    "62": ("甘肃省", "Gansu"),
    "63": ("青海省", "Qinghai"),
    "64": ("宁夏回族自治区", "Ningxia"),
    "65": ("新疆维吾尔自治区", "Xinjiang"),
}


def region_name(code: str) -> str:
    """A region code in the reader's language (a jurisdiction code is named by the caller)."""
    zh = (translation.get_language() or "").startswith("zh")
    if code == WHOLE_COUNTRY:
        return "全国" if zh else "All of China"
    names = PROVINCES.get(code)
    if names is None:
        from liaison.core.models import Jurisdiction

        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        return jurisdiction.name if jurisdiction else code
    return names[0] if zh else names[1]


def province_of(jurisdiction_code: str) -> str | None:
    """The province-level code a county-level GB/T 2260 code belongs to, if it is one."""
    if len(jurisdiction_code) == 6 and jurisdiction_code.isdigit():
        return jurisdiction_code[:2]
    return None
