"""The texts of consular notifications, one per language of correspondence.

These are letters to a mission, not pages: each language is written out here rather than
through the staff catalogues, so that a notification to the Korean consulate is in Korean
whatever language the officer's screen is in. A mission whose languages have no text here gets
English. The officer reviews and may edit every draft before it is marked sent.
"""

from dataclasses import dataclass
from datetime import date

from liaison.core.normalize import country_name

ENGLISH = "en"

TEXTS: dict[str, dict] = {
    "en": {
        "subject": "Consular notification: {name}, national of {country}",
        "body": (
            "To: {mission}\n\n"
            "The Foreign Affairs Office presents its compliments to the {mission} and has the "
            "honour to inform it that the following national of {country} {reason}{place}.\n\n"
            "Name: {person}\nNationality: {country}\nTravel document: {document}\n"
            "{done}\n"
            "The Foreign Affairs Office would be grateful if the mission could acknowledge "
            "receipt of this notification.\n\nForeign Affairs Office\n"
        ),
        "done": "\nWhat has been done:\n{text}\n",
        "reasons": {
            "hospital": "was admitted to a designated hospital for medical observation and "
            "treatment on {date}",
            "centralized_quarantine": "was placed in centralized quarantine on {date}",
            "home_quarantine": "was placed in home quarantine under the supervision of the "
            "district on {date}",
            "diplomatic_arrangement": "was placed in quarantine at their residence by "
            "diplomatic arrangement on {date}",
            "assistance_case": "has been assisted by our office since {date}",
        },
    },
    "zh-hans": {
        "subject": "领事通报：{country}公民{name}",
        "body": (
            "致：{mission}\n\n"
            "外事办公室向{mission}致意，并谨通报如下：{country}公民{person_short}{reason}"
            "{place}。\n\n"
            "姓名：{person}\n国籍：{country}\n旅行证件号码：{document}\n"
            "{done}\n"
            "请贵方确认收悉本通报。\n\n外事办公室\n"
        ),
        "done": "\n已采取的措施：\n{text}\n",
        "reasons": {
            "hospital": "于{date}被送往定点医院进行医学观察和治疗",
            "centralized_quarantine": "于{date}被安排集中隔离",
            "home_quarantine": "于{date}起在所在区县监督下居家隔离",
            "diplomatic_arrangement": "于{date}起按外交安排在其居所隔离",
            "assistance_case": "自{date}起接受我办协助",
        },
    },
    "ko": {
        "subject": "영사 통보: {name} ({country} 국적)",
        "body": (
            "수신: {mission}\n\n"
            "외사판공실은 {mission}에 경의를 표하며, {country} 국적의 아래 인원이{place} "
            "{reason} 알려 드립니다.\n\n"
            "성명: {person}\n국적: {country}\n여행 문서 번호: {document}\n"
            "{done}\n"
            "본 통보의 수령을 확인하여 주시기 바랍니다.\n\n외사판공실\n"
        ),
        "done": "\n조치 사항:\n{text}\n",
        "reasons": {
            "hospital": "{date} 지정 병원에 입원하였음을",
            "centralized_quarantine": "{date} 집중 격리 시설에 격리되었음을",
            "home_quarantine": "{date} 관할 구의 관리 하에 자가 격리되었음을",
            "diplomatic_arrangement": "{date} 외교적 협의에 따라 거처에서 격리되었음을",
            "assistance_case": "{date}부터 본 판공실의 지원을 받고 있음을",
        },
    },
    "ja": {
        "subject": "領事通報：{name}（{country}国籍）",
        "body": (
            "宛先：{mission}\n\n"
            "外事弁公室は{mission}に敬意を表するとともに、{country}国籍の下記の方が{place}、"
            "{reason}ことをお知らせいたします。\n\n"
            "氏名：{person}\n国籍：{country}\n旅券番号：{document}\n"
            "{done}\n"
            "本通報の受領をご確認くださいますようお願い申し上げます。\n\n外事弁公室\n"
        ),
        "done": "\n実施した措置：\n{text}\n",
        "reasons": {
            "hospital": "{date}に指定病院に入院した",
            "centralized_quarantine": "{date}に集中隔離の対象となった",
            "home_quarantine": "{date}に区の管理のもとで自宅隔離となった",
            "diplomatic_arrangement": "{date}に外交上の取り決めにより住居で隔離された",
            "assistance_case": "{date}から当弁公室の支援を受けている",
        },
    },
    "de": {
        "subject": "Konsularische Benachrichtigung: {name}, Staatsangehörigkeit {country}",
        "body": (
            "An: {mission}\n\n"
            "Das Büro für auswärtige Angelegenheiten beehrt sich, der Vertretung "
            "{mission} mitzuteilen, dass die folgende Person mit der Staatsangehörigkeit "
            "{country} {reason}{place}.\n\n"
            "Name: {person}\nStaatsangehörigkeit: {country}\nReisedokument: {document}\n"
            "{done}\n"
            "Wir bitten um Bestätigung des Eingangs dieser Benachrichtigung.\n\n"
            "Büro für auswärtige Angelegenheiten\n"
        ),
        "done": "\nBisherige Maßnahmen:\n{text}\n",
        "reasons": {
            "hospital": "am {date} in ein designiertes Krankenhaus aufgenommen wurde",
            "centralized_quarantine": "am {date} in zentrale Quarantäne eingewiesen wurde",
            "home_quarantine": "am {date} unter Aufsicht des Bezirks in häusliche Quarantäne kam",
            "diplomatic_arrangement": "am {date} nach diplomatischer Vereinbarung in ihrer "
            "Residenz unter Quarantäne gestellt wurde",
            "assistance_case": "seit {date} von unserem Büro unterstützt wird",
        },
    },
    "fr": {
        "subject": "Notification consulaire : {name}, nationalité {country}",
        "body": (
            "À : {mission}\n\n"
            "Le Bureau des affaires étrangères présente ses compliments à la mission "
            "{mission} et a l'honneur de l'informer que la personne suivante, de nationalité "
            "{country}, {reason}{place}.\n\n"
            "Nom : {person}\nNationalité : {country}\nDocument de voyage : {document}\n"
            "{done}\n"
            "Nous vous serions reconnaissants d'accuser réception de cette notification.\n\n"
            "Bureau des affaires étrangères\n"
        ),
        "done": "\nMesures prises :\n{text}\n",
        "reasons": {
            "hospital": "a été admise dans un hôpital désigné le {date}",
            "centralized_quarantine": "a été placée en quarantaine centralisée le {date}",
            "home_quarantine": "a été placée en quarantaine à domicile sous la supervision du "
            "district le {date}",
            "diplomatic_arrangement": "a été placée en quarantaine à sa résidence selon un "
            "arrangement diplomatique le {date}",
            "assistance_case": "est assistée par notre bureau depuis le {date}",
        },
    },
    "it": {
        "subject": "Notifica consolare: {name}, cittadinanza {country}",
        "body": (
            "A: {mission}\n\n"
            "L'Ufficio Affari Esteri presenta i suoi omaggi alla rappresentanza {mission} e ha "
            "l'onore di informare che la seguente persona, di cittadinanza {country}, "
            "{reason}{place}.\n\n"
            "Nome: {person}\nCittadinanza: {country}\nDocumento di viaggio: {document}\n"
            "{done}\n"
            "Vi saremmo grati se voleste confermare la ricezione della presente notifica.\n\n"
            "Ufficio Affari Esteri\n"
        ),
        "done": "\nMisure adottate:\n{text}\n",
        "reasons": {
            "hospital": "è stata ricoverata in un ospedale designato il {date}",
            "centralized_quarantine": "è stata posta in quarantena centralizzata il {date}",
            "home_quarantine": "è stata posta in quarantena domiciliare sotto la supervisione del "
            "distretto il {date}",
            "diplomatic_arrangement": "è stata posta in quarantena presso la propria residenza "
            "secondo un accordo diplomatico il {date}",
            "assistance_case": "è assistita dal nostro ufficio dal {date}",
        },
    },
}


def language_for(languages: list[str]) -> str:
    """The first of a mission's languages that has a text here, else English."""
    for code in languages or []:
        code = code.strip().lower()
        if code in ("zh", "zh-cn", "zh-hans"):
            code = "zh-hans"
        if code in TEXTS:
            return code
    return ENGLISH


@dataclass(frozen=True)
class Letter:
    language: str
    subject: str
    body: str


def compose(
    *,
    language: str,
    reason: str,
    mission_name_zh: str,
    mission_name_en: str,
    person_name: str,
    person_name_latin: str,
    nationality: str,
    document_number: str,
    on: date,
    place: str = "",
    done: str = "",
) -> Letter:
    texts = TEXTS.get(language) or TEXTS[ENGLISH]
    language = language if language in TEXTS else ENGLISH
    country = country_name(nationality, language)
    latin = person_name_latin if person_name_latin and person_name_latin != person_name else ""
    person = f"{person_name} ({latin})" if latin else person_name
    values = {
        "mission": mission_name_zh if language == "zh-hans" else mission_name_en,
        "country": country,
        "name": person_name_latin or person_name,
        "person": person,
        "person_short": person_name,
        "document": document_number or "—",
        "reason": texts["reasons"]
        .get(reason, texts["reasons"]["assistance_case"])
        .format(date=on.isoformat()),
        "date": on.isoformat(),
        "place": f" ({place})" if place else "",
        "done": texts["done"].format(text=done.strip()) if done.strip() else "",
    }
    return Letter(
        language=language,
        subject=texts["subject"].format(**values)[:300],
        body=texts["body"].format(**values),
    )
