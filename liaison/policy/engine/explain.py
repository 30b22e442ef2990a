"""Words for decisions and reasons, in the staff languages (Simplified Chinese and English).

The engine renders its own reasons with plain templates rather than gettext so that it stays
free of Django and so that a stored decision record (``Decision.as_dict()``) can be rendered
again, identically, at any later time. Country names come from the caller (the Django side
passes django-countries' names); without one, the ISO code is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .decision import Decision

CountryName = Callable[[str, str], str]
LANGUAGES = ("en", "zh-hans")

_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "disposition": {
            "hospital": "designated hospital",
            "centralized_quarantine": "centralized quarantine",
            "home_quarantine": "home quarantine",
            "onward_transfer": "closed-loop onward transfer",
            "diplomatic_arrangement": "quarantine at residence by diplomatic arrangement",
        },
        "site_type": {
            "designated_hospital": "designated hospital",
            "quarantine_hotel": "quarantine hotel",
            "residence": "residence",
            "transfer_station": "transfer station",
        },
        "step": {
            "transfer_to_designated_hospital": "transfer to the designated hospital",
            "pcr_at_designated_site": "PCR test at the designated site, and wait there for "
            "the result",
            "resample_pcr": "take a new PCR sample (re-test)",
            "wait_for_result_at_designated_site": "wait for the result at the designated site",
            "transfer_to_quarantine_hotel": "transfer to a quarantine hotel of the destination "
            "jurisdiction",
            "home_quarantine_under_district_supervision": "home quarantine under the "
            "supervision of the destination district",
            "arrange_with_mission": "arrange quarantine with the mission through the Foreign "
            "Affairs Office",
            "closed_loop_transfer_to_departure": "closed-loop transfer to the onward departure",
            "notify_destination_province": "notify the destination province",
            "daily_health_monitoring": "daily health monitoring",
        },
        "level": {"low": "low risk", "medium": "medium risk", "high": "high risk"},
        "result": {
            "pending": "no result yet",
            "negative": "negative",
            "positive": "positive",
            "inconclusive": "inconclusive",
        },
        "category": {
            "ordinary": "ordinary traveler",
            "diplomat": "diplomat",
            "consular": "consular staff",
            "crew": "crew",
            "official": "official",
        },
        "kind": {"city": "in the city", "onward": "onward journey"},
        "flag_yes": {
            "symptoms": "symptoms declared",
            "contact_with_cases": "contact with cases declared",
            "pregnant": "pregnant",
            "severe_condition": "severe underlying condition",
            "unaccompanied_minor": "minor travelling alone",
        },
        "flag_no": {
            "symptoms": "no symptoms declared",
            "contact_with_cases": "no contact with cases declared",
            "pregnant": "not pregnant",
            "severe_condition": "no severe condition declared",
            "unaccompanied_minor": "not a minor travelling alone",
        },
    },
    "zh-hans": {
        "disposition": {
            "hospital": "定点医院",
            "centralized_quarantine": "集中隔离",
            "home_quarantine": "居家隔离",
            "onward_transfer": "闭环转运离开本市",
            "diplomatic_arrangement": "按外交安排在居所隔离",
        },
        "site_type": {
            "designated_hospital": "定点医院",
            "quarantine_hotel": "集中隔离酒店",
            "residence": "居所",
            "transfer_station": "转运站",
        },
        "step": {
            "transfer_to_designated_hospital": "转运至定点医院",
            "pcr_at_designated_site": "在指定地点进行核酸检测并等待结果",
            "resample_pcr": "重新采样复检",
            "wait_for_result_at_designated_site": "在指定地点等待检测结果",
            "transfer_to_quarantine_hotel": "转运至目的地区县集中隔离酒店",
            "home_quarantine_under_district_supervision": "在目的地区县监管下居家隔离",
            "arrange_with_mission": "由外办与使领馆协商隔离安排",
            "closed_loop_transfer_to_departure": "闭环转运至离开本市的交通站点",
            "notify_destination_province": "通报目的地省份",
            "daily_health_monitoring": "每日健康监测",
        },
        "level": {"low": "低风险", "medium": "中风险", "high": "高风险"},
        "result": {
            "pending": "尚无结果",
            "negative": "阴性",
            "positive": "阳性",
            "inconclusive": "不确定",
        },
        "category": {
            "ordinary": "普通旅客",
            "diplomat": "外交人员",
            "consular": "领事官员",
            "crew": "机组人员",
            "official": "公务人员",
        },
        "kind": {"city": "本市", "onward": "离开本市（中转）"},
        "flag_yes": {
            "symptoms": "申报有症状",
            "contact_with_cases": "申报有病例接触史",
            "pregnant": "孕妇",
            "severe_condition": "有严重基础疾病",
            "unaccompanied_minor": "无人陪伴的未成年人",
        },
        "flag_no": {
            "symptoms": "未申报症状",
            "contact_with_cases": "未申报病例接触史",
            "pregnant": "非孕妇",
            "severe_condition": "未申报严重基础疾病",
            "unaccompanied_minor": "非无人陪伴的未成年人",
        },
    },
}

# Reason code → template. Placeholders are the reason's params after _render_params.
_TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "always": "applies to every arrival (catch-all rule)",
        "temperature_at_least": "highest temperature {highest} °C, at or above {threshold} °C",
        "temperature_below": "highest temperature {highest} °C, below {threshold} °C",
        "temperature_missing": "no temperature reading recorded",
        "flag_yes": "{flag_yes}",
        "flag_no": "{flag_no}",
        "test_result": "test result: {result}",
        "age_at_least": "age {age}, {years} or older",
        "age_below": "age {age}, under {years}",
        "age_unknown": "age not known",
        "category": "traveler category: {category}",
        "accreditation_present": "accreditation number {number}",
        "accreditation_missing": "no accreditation number",
        "destination": "destination: {kind}",
        "jurisdiction": "destination jurisdiction: {jurisdiction}",
        "departure_within": "onward departure {hours} h after arrival, within {limit} h",
        "departure_after": "onward departure {hours} h after arrival, later than {limit} h",
        "departure_unknown": "no onward departure time",
        "visited_at_risk": "visited {country}{transit} ({level} {period}) on {day}, "
        "within {within_days} days before arrival",
        "visited_country": "visited {country}{transit} on {day}, "
        "within {within_days} days before arrival",
        "visit_outside_window": "left {country}{transit} on {date_to}, more than "
        "{within_days} days before arrival (stays count from {cutoff})",
        "visit_not_at_risk": "stayed in {country}{transit} {date_from} to {date_to}, when it "
        "was not listed as {level} (listed {listed})",
        "no_visit": "no stay in {target} within {within_days} days before arrival ({visited})",
    },
    "zh-hans": {
        "always": "适用于所有入境人员（兜底规则）",
        "temperature_at_least": "最高体温 {highest}℃，达到或超过 {threshold}℃",
        "temperature_below": "最高体温 {highest}℃，低于 {threshold}℃",
        "temperature_missing": "无体温检测记录",
        "flag_yes": "{flag_yes}",
        "flag_no": "{flag_no}",
        "test_result": "检测结果：{result}",
        "age_at_least": "年龄 {age} 岁，不低于 {years} 岁",
        "age_below": "年龄 {age} 岁，低于 {years} 岁",
        "age_unknown": "年龄未知",
        "category": "人员类别：{category}",
        "accreditation_present": "外交/领事身份证件号 {number}",
        "accreditation_missing": "无外交/领事身份证件号",
        "destination": "目的地：{kind}",
        "jurisdiction": "目的地区县：{jurisdiction}",
        "departure_within": "入境后 {hours} 小时离开本市，在 {limit} 小时以内",
        "departure_after": "入境后 {hours} 小时离开本市，超过 {limit} 小时",
        "departure_unknown": "无离开本市的时间",
        "visited_at_risk": "{day} 曾在{country}{transit}（{period}列为{level}），"
        "在入境前 {within_days} 天内",
        "visited_country": "{day} 曾在{country}{transit}，在入境前 {within_days} 天内",
        "visit_outside_window": "{date_to} 离开{country}{transit}，早于入境前 {within_days} 天"
        "（自 {cutoff} 起计）",
        "visit_not_at_risk": "{date_from} 至 {date_to} 在{country}{transit}，当时未列为"
        "{level}（列入时间：{listed}）",
        "no_visit": "入境前 {within_days} 天内无{target}旅居史（{visited}）",
    },
}

_PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "decision": "Decision",
        "days": "{n} days",
        "site": "site: {site}",
        "rule": "Rule",
        "versions": "rules version {rules}, risk list {risk}",
        "steps": "Steps",
        "no_steps": "none",
        "why": "Why",
        "applies": "applies",
        "not_applies": "did not apply",
        "sep": "; ",
        "list_sep": ", ",
        "colon": ": ",
        "head_sep": ", ",
        "since": "since {since}",
        "from_to": "{since} to {until}",
        "transit": " (in transit)",
        "no_history": "no travel history declared",
        "declared": "declared: {countries}",
        "level_country": "a country listed as {level}",
        "unknown": "not given",
    },
    "zh-hans": {
        "decision": "处置",
        "days": "{n} 天",
        "site": "地点：{site}",
        "rule": "依据规则",
        "versions": "规则版本 {rules}，风险名单版本 {risk}",
        "steps": "待办步骤",
        "no_steps": "无",
        "why": "理由",
        "applies": "适用",
        "not_applies": "不适用",
        "sep": "；",
        "list_sep": "、",
        "colon": "：",
        "head_sep": "，",
        "since": "自 {since} 起",
        "from_to": "{since} 至 {until} ",
        "transit": "（中转）",
        "no_history": "未申报旅居史",
        "declared": "申报：{countries}",
        "level_country": "{level}国家（地区）",
        "unknown": "未填写",
    },
}


def _language(lang: str) -> str:
    # Staff work in these two; anything else (e.g. a traveler's language) falls back to English.
    return lang if lang in LANGUAGES else "en"


def _number(value: float) -> str:
    return f"{value:g}"


def render_reason(
    code: str, params: Mapping[str, Any], lang: str = "en", country_name: CountryName | None = None
) -> str:
    lang = _language(lang)
    labels = _LABELS[lang]
    phrase = _PHRASES[lang]

    def country(code: str) -> str:
        return country_name(code, lang) if country_name else code

    values: dict[str, Any] = dict(params)
    for key in ("highest", "threshold", "hours", "limit"):
        if key in values:
            values[key] = _number(values[key])
    if "flag" in values:
        values["flag_yes"] = labels["flag_yes"].get(values["flag"], values["flag"])
        values["flag_no"] = labels["flag_no"].get(values["flag"], values["flag"])
    for key, table in (("result", "result"), ("category", "category"), ("kind", "kind")):
        if key in values:
            values[key] = labels[table].get(values[key], values[key])
    if "country" in values:
        values["country"] = country(values["country"])
    values["transit"] = phrase["transit"] if values.get("transit") else ""
    if values.get("jurisdiction") == "":
        values["jurisdiction"] = phrase["unknown"]
    if "since" in values:
        values["period"] = (
            phrase["from_to"].format(since=values["since"], until=values["until"])
            if values.get("until")
            else phrase["since"].format(since=values["since"])
        )
    if "listed" in values:
        values["listed"] = phrase["list_sep"].join(
            f"{start}–{end or ''}" for start, end in values["listed"]
        )
    if code == "no_visit":
        if values.get("countries"):
            values["target"] = phrase["list_sep"].join(country(c) for c in values["countries"])
        else:
            values["target"] = phrase["level_country"].format(
                level=labels["level"][params["level"]]
            )
        visited = values.get("visited") or []
        values["visited"] = (
            phrase["declared"].format(
                countries=phrase["list_sep"].join(country(c) for c in visited)
            )
            if visited
            else phrase["no_history"]
        )
    if values.get("level"):
        values["level"] = labels["level"].get(values["level"], values["level"])
    template = _TEMPLATES[lang].get(code)
    if template is None:  # a code newer than this renderer: show it rather than fail
        return f"{code} {dict(params)}"
    return template.format(**values)


def render_record(
    record: Mapping[str, Any],
    lang: str = "en",
    country_name: CountryName | None = None,
    rule_titles: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Render a stored ``Decision.as_dict()`` record as text."""
    lang = _language(lang)
    labels = _LABELS[lang]
    phrase = _PHRASES[lang]
    colon = phrase["colon"]

    def rule_name(rule_id: str) -> str:
        title = (rule_titles or {}).get(rule_id) or {}
        text = title.get(lang) or title.get("en")
        return (
            f"{rule_id} ({text})"
            if text and lang == "en"
            else (f"{rule_id}（{text}）" if text else rule_id)
        )

    head = [labels["disposition"][record["disposition"]]]
    if record.get("quarantine_days"):
        head.append(phrase["days"].format(n=record["quarantine_days"]))
    if record.get("site_type"):
        head.append(phrase["site"].format(site=labels["site_type"][record["site_type"]]))
    versions = phrase["versions"].format(
        rules=record["rules_version"], risk=record["risk_list_version"]
    )
    steps = [labels["step"].get(step, step) for step in record.get("steps", ())]
    lines = [
        phrase["decision"] + colon + phrase["head_sep"].join(head),
        phrase["rule"] + colon + rule_name(record["rule_id"]) + f" [{versions}]",
        phrase["steps"] + colon + (phrase["sep"].join(steps) or phrase["no_steps"]),
        (phrase["why"] + colon).rstrip(),
    ]
    for trace in record["reasons"]:
        verdict = phrase["applies"] if trace["matched"] else phrase["not_applies"]
        said = phrase["sep"].join(
            render_reason(r["code"], r["params"], lang, country_name) for r in trace["reasons"]
        )
        lines.append(f"- {rule_name(trace['rule_id'])} [{verdict}]{colon}{said}")
    return "\n".join(lines)


def render_decision(
    decision: Decision, lang: str = "en", country_name: CountryName | None = None
) -> str:
    titles = {r.id: r.title for r in decision.policy.rule_set.rules if r.title}
    return render_record(decision.as_dict(), lang, country_name, titles)
