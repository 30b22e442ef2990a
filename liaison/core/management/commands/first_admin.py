from django.core.management.base import BaseCommand

from liaison.core import audit, services
from liaison.core.models import User
from liaison.core.roles import Role


class Command(BaseCommand):
    help = (
        "Make sure someone can sign in: create the first administrator (password generated and "
        "printed once) when there is none, and say how to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, username, url, **options):
        self.stdout.write(f"Sign in at {url}")
        if User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).exists():
            self.stdout.write(
                "  with your account. `make demo` adds a demo account for every role."
            )
            return
        password = services.generate_password()
        with audit.acting_as(username="first_admin"):
            services.create_user(username=username, password=password, role=Role.ADMINISTRATOR)
        self.stdout.write(f"  as the first administrator: {username} / {password}")
        self.stdout.write(
            "  (shown once; you will set up an authenticator app (TOTP) at first sign-in). "
            "`make demo` adds a demo account for every role."
        )
