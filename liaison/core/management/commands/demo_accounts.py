from django.core.management.base import BaseCommand
from django.db import transaction

from liaison.core import audit, services
from liaison.core.models import Jurisdiction, Site, User
from liaison.core.roles import Role

# Who gets a demo account, and where they are bound (codes of the default city).
DEMO_ACCOUNTS = [
    ("admin", Role.ADMINISTRATOR, None, None),
    ("desk", Role.AIRPORT_DESK, None, None),
    ("sampler", Role.SAMPLING, None, "SAMP-CKG-T3"),
    ("lab", Role.LAB, None, None),
    ("dispatch", Role.DISPATCH, None, None),
    ("yubei", Role.DISTRICT_RECEIVING, "500112", None),
    ("jiangbei", Role.DISTRICT_RECEIVING, "500105", None),
    ("assist", Role.ASSISTANCE, None, None),
    ("liaison", Role.LIAISON, None, None),
    ("aid", Role.AID, None, None),
    ("exchange", Role.EXCHANGES, None, None),
    ("duty", Role.DUTY, None, None),
    ("leader", Role.LEADERSHIP, None, None),
]


class Command(BaseCommand):
    help = (
        "Create one demo account per role with a freshly generated password, printed once. "
        "Existing demo accounts get a new password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="demo-", help="Username prefix (%(default)s).")

    @transaction.atomic
    def handle(self, *args, prefix, **options):
        rows = []
        with audit.acting_as(username="demo_accounts"):
            for name, role, jurisdiction_code, site_code in DEMO_ACCOUNTS:
                username = f"{prefix}{name}"
                password = services.generate_password()
                jurisdiction = (
                    Jurisdiction.objects.filter(code=jurisdiction_code).first()
                    if jurisdiction_code
                    else None
                )
                site = Site.objects.filter(code=site_code).first() if site_code else None
                user = User.objects.filter(username=username).first()
                if user is None:
                    services.create_user(
                        username=username,
                        password=password,
                        role=role,
                        jurisdiction=jurisdiction,
                        site=site,
                    )
                else:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                rows.append((username, password, str(role.label)))
        width = max(len(u) for u, _, _ in rows)
        self.stdout.write("Demo accounts (passwords are new each time this runs):")
        for username, password, label in rows:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {label}")
        self.stdout.write("The administrator sets up an authenticator app (TOTP) at first sign-in.")
