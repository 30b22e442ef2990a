"""``manage.py demo_briefing``: the last two days' briefings through the real services — the one
before yesterday approved by the demo leader, yesterday's drafted with its highlights, waiting for
approval. A second run changes nothing."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from liaison.core.models import User
from liaison.leadership import services
from liaison.leadership.models import Briefing

HIGHLIGHTS = (
    (
        "入境人员闭环管理平稳，各区县按时接收；领事通报按时发出。",
        "The closed loop held; districts received their travelers on time; "
        "consular notices went out.",
    ),
    (
        "已向意大利、伊朗、韩国捐赠口罩；与驻渝领馆保持沟通。",
        "Masks donated to Italy, Iran and South Korea; contact with the consulates kept up.",
    ),
)


class Command(BaseCommand):
    help = "Two demo daily briefings: one approved, one waiting for approval."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="demo-", help="Demo usernames' prefix.")

    def handle(self, *args, prefix, **options):
        leader = User.objects.filter(username=f"{prefix}leader").first()
        officer = User.objects.filter(username=f"{prefix}duty").first() or leader
        if leader is None:
            self.stdout.write("No demo leader (run demo_accounts first); nothing done.")
            return
        today = timezone.localdate()
        days = [today - timedelta(days=2), today - timedelta(days=1)]
        if Briefing.objects.filter(day__in=days).exists():
            self.stdout.write("The demo briefings are there already; nothing changed.")
            return
        # Each step audited as its actor: the job runner drafts, the officer writes, the leader
        # approves (services name them when no request does).
        for n, day in enumerate(days):
            briefing = services.draft(day=day)
            zh, en = HIGHLIGHTS[n]
            services.write_highlights(briefing=briefing, by=officer, zh=zh, en=en)
            if n == 0:
                services.approve(briefing=briefing, by=leader)
        self.stdout.write(f"Daily briefings of {days[0]} (approved) and {days[1]} (draft).")
