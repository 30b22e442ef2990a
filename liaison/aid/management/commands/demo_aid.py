"""The aid desk's spring of 2020, made through its services (issue 15).

On 19 March the city gave FFP2 and surgical masks to the Italian government, in two batches;
KF94 and surgical masks to Iran, part of them for its sister city Shiraz; a second batch of N95,
KF94 and surgical masks went to South Korea, whose first batch had arrived in Jeollanam-do on
12 March (short: four cartons crushed) and in Seoul on 16 March. Yuzhong District gave masks of
its own to Italy; Spain, Portugal and Ukraine have donations committed or pledged. The other
way, Düsseldorf sent FFP2 masks, allocated to two hospitals and a district to the last unit.

The city government and its districts are organizations of the directory, made here through
the directory's services when they are missing (``CN-CQ-GOV``, and ``CN-CQ-<district code>``
under it for every district of the reference data); so are the foreign counterparts. Run after
``demo_accounts``; a second run changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction

from liaison.aid import allocation, services, shipping
from liaison.aid.models import Donation, Item
from liaison.aid.services import LineIn
from liaison.core import audit
from liaison.core.models import Jurisdiction, Site, User
from liaison.directory import services as directory
from liaison.directory.models import Organization, OrganizationKind

K = OrganizationKind
OCCASION = "新冠肺炎疫情防控物资捐赠（2020年春）"
CITY = "CN-CQ-GOV"
# code: kind, country, Chinese name, English name
COUNTERPARTS = {
    "IT-GOV": (K.GOVERNMENT, "IT", "意大利政府", "Government of Italy"),
    "IR-GOV": (
        K.GOVERNMENT,
        "IR",
        "伊朗伊斯兰共和国政府",
        "Government of the Islamic Republic of Iran",
    ),
    "IR-SHIRAZ": (K.SISTER_CITY, "IR", "伊朗设拉子市", "Shiraz"),
    "KR-JEONNAM": (K.FRIENDSHIP_PROVINCE, "KR", "韩国全罗南道", "Jeollanam-do"),
    "KR-SEOUL": (K.GOVERNMENT, "KR", "韩国首尔特别市", "Seoul Metropolitan Government"),
    "ES-GOV": (K.GOVERNMENT, "ES", "西班牙政府", "Government of Spain"),
    "PT-GOV": (K.GOVERNMENT, "PT", "葡萄牙政府", "Government of Portugal"),
    "UA-GOV": (K.GOVERNMENT, "UA", "乌克兰政府（内阁）", "Cabinet of Ministers of Ukraine"),
    "DE-DUSSELDORF": (K.SISTER_CITY, "DE", "德国杜塞尔多夫市", "Düsseldorf"),
}


def _organization(by: User, code: str, kind: str, country: str, zh: str, en: str, parent=None):
    found = Organization.objects.filter(code=code).first()
    if found is not None:
        return found
    return directory.create_organization(
        by=by, code=code, kind=kind, country=country, name_zh=zh, name_en=en, parent=parent
    )


class Command(BaseCommand):
    help = "The aid desk's spring of 2020: donations out and in, batches, receipt, allocation."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="demo-", help="Demo usernames' prefix.")

    @transaction.atomic
    def handle(self, *args, prefix, **options):
        officer = User.objects.filter(username=f"{prefix}aid").first()
        keeper = User.objects.filter(username=f"{prefix}liaison").first() or officer
        if officer is None:
            self.stderr.write("Run demo_accounts first (no demo aid account).")
            return
        if Donation.objects.filter(occasion=OCCASION).exists():
            self.stdout.write("The aid desk's spring of 2020 is there already.")
            return
        with audit.acting_as(officer):
            orgs = self._directory(keeper)
            self._outbound(officer, orgs)
            self._inbound(officer, orgs)
        self.stdout.write("Made the aid desk's spring of 2020.")

    def _directory(self, by: User) -> dict[str, Organization]:
        city = _organization(
            by, CITY, K.CHINESE_AUTHORITY, "CN", "重庆市人民政府", "Chongqing Municipal Government"
        )
        orgs = {CITY: city}
        for district in Jurisdiction.objects.filter(active=True):
            orgs[f"CN-CQ-{district.code}"] = _organization(
                by,
                f"CN-CQ-{district.code}",
                K.CHINESE_AUTHORITY,
                "CN",
                f"{district.name_zh}人民政府",
                f"{district.name_en} Government",
                parent=city,
            )
        for code, (kind, country, zh, en) in COUNTERPARTS.items():
            orgs[code] = _organization(by, code, kind, country, zh, en)
        return orgs

    @staticmethod
    def _donate(by, donor, recipient, lines, on, **extra) -> Donation:
        items = {i.code: i.pk for i in Item.objects.all()}
        donation = services.record_donation(
            donor=donor.pk,
            recipient=recipient.pk,
            occasion=OCCASION,
            pledged_on=on,
            lines=[LineIn(item=items[code], quantity=q, unit=u) for code, q, u in lines],
            by=by,
            **extra,
        )
        return donation

    @staticmethod
    def _commit(by, donation):
        services.move_donation(donation=donation, to="committed", by=by)

    @staticmethod
    def _ship(by, donation, quantities, sent_on, **extra):
        lines = [
            shipping.ShippedIn(line=line.pk, quantity=q)
            for line, q in zip(donation.lines.all(), quantities, strict=True)
            if q
        ]
        return shipping.send_batch(donation=donation, sent_on=sent_on, lines=lines, by=by, **extra)

    @staticmethod
    def _receive(by, batch, arrived_on, short=None):
        """All accepted, but ``short``: {item code: (rejected, why)}."""
        short = short or {}
        lines = []
        for row in batch.lines.select_related("line__item"):
            rejected, why = short.get(row.line.item.code, (0, ""))
            lines.append(
                shipping.ReceivedIn(
                    line=row.pk, accepted=row.units - rejected, rejected=rejected, reason=why
                )
            )
        return shipping.receive_batch(batch=batch, arrived_on=arrived_on, lines=lines, by=by)

    def _outbound(self, by: User, orgs: dict[str, Organization]) -> None:
        city, march_19 = orgs[CITY], date(2020, 3, 19)
        italy = self._donate(
            by,
            city,
            orgs["IT-GOV"],
            [("FFP2", 300, "box"), ("SURGICAL-EN14683", 40, "carton")],
            march_19,
            estimated_value="600000",
            currency="CNY",
            donor_may_be_named=True,
        )
        self._commit(by, italy)
        first = self._ship(
            by,
            italy,
            [3000, 40000],
            march_19,
            route="CA 877 CKG–MXP",
            carrier="Air China Cargo",
            waybill="999-20200319",
        )
        second = self._ship(
            by,
            italy,
            [3000, 40000],
            date(2020, 3, 26),
            route="CA 877 CKG–MXP",
            carrier="Air China Cargo",
            waybill="999-20200326",
        )
        self._receive(by, first, date(2020, 3, 20))
        self._receive(by, second, date(2020, 3, 27))
        services.move_donation(donation=italy, to="acknowledged", by=by)

        yuzhong = orgs.get("CN-CQ-500103")
        if yuzhong is not None:
            own = self._donate(
                by,
                yuzhong,
                orgs["IT-GOV"],
                [("FFP2", 10000, "")],
                march_19,
                donor_may_be_named=True,
            )
            self._commit(by, own)
            self._receive(by, self._ship(by, own, [10000], march_19), date(2020, 3, 21))

        iran = self._donate(
            by,
            city,
            orgs["IR-GOV"],
            [("KF94", 20000, ""), ("SURGICAL-YY0469", 100000, "")],
            march_19,
            donor_may_be_named=True,
        )
        self._commit(by, iran)
        tehran = self._ship(by, iran, [15000, 80000], march_19, route="W5 081 CKG–IKA")
        self._ship(
            by,
            iran,
            [5000, 20000],
            date(2020, 3, 20),
            consignee=orgs["IR-SHIRAZ"].pk,
            route="IKA–SYZ by road",
        )
        self._receive(by, tehran, date(2020, 3, 21))

        jeonnam = self._donate(
            by,
            city,
            orgs["KR-JEONNAM"],
            [("N95", 10000, ""), ("KF94", 20000, "")],
            date(2020, 3, 5),
        )
        self._commit(by, jeonnam)
        batch = self._ship(by, jeonnam, [10000, 20000], date(2020, 3, 10))
        self._receive(
            by,
            batch,
            date(2020, 3, 12),
            short={"N95": (400, "四箱运输途中受压破损 / four cartons crushed in transit")},
        )

        seoul = self._donate(
            by,
            city,
            orgs["KR-SEOUL"],
            [("N95", 20000, ""), ("KF94", 30000, ""), ("SURGICAL-YY0469", 50000, "")],
            date(2020, 3, 10),
        )
        self._commit(by, seoul)
        self._receive(
            by, self._ship(by, seoul, [10000, 15000, 0], date(2020, 3, 14)), date(2020, 3, 16)
        )
        self._ship(by, seoul, [10000, 15000, 30000], march_19, route="KE 9896 CKG–ICN")

        spain = self._donate(
            by, city, orgs["ES-GOV"], [("GOWN-PROTECTIVE", 5000, "")], date(2020, 3, 25)
        )
        self._commit(by, spain)
        self._donate(by, city, orgs["PT-GOV"], [("TEST-PCR", 200, "")], date(2020, 3, 27))
        self._donate(by, city, orgs["UA-GOV"], [("VENTILATOR-ICU", 10, "")], date(2020, 3, 28))

    def _inbound(self, by: User, orgs: dict[str, Organization]) -> None:
        donation = self._donate(
            by,
            orgs["DE-DUSSELDORF"],
            orgs[CITY],
            [("FFP2", 50, "carton")],
            date(2020, 2, 10),
            estimated_value="40000",
            currency="EUR",
            donor_may_be_named=True,
        )
        self._commit(by, donation)
        first = self._ship(by, donation, [12000], date(2020, 2, 12), route="LH 8420 FRA–CKG")
        second = self._ship(by, donation, [8000], date(2020, 2, 20), route="LH 8420 FRA–CKG")
        self._receive(
            by, first, date(2020, 2, 14), short={"FFP2": (200, "两箱受潮 / two cartons wet")}
        )
        self._receive(by, second, date(2020, 2, 22))
        line = donation.lines.get()
        on = date(2020, 2, 23)
        for site, units in (("HOSP-PHMC", 10000), ("HOSP-YB-01", 6000)):
            found = Site.objects.filter(code=site).first()
            if found is not None:
                allocation.allocate(line=line, units=units, site=found.pk, allocated_on=on, by=by)
        district = Jurisdiction.objects.filter(code="500103").first()
        if district is not None:
            allocation.allocate(
                line=line, units=3800, jurisdiction=district.pk, allocated_on=on, by=by
            )
