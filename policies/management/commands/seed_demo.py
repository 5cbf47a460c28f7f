"""seed_demo: create (or complete) the demo committee by telling the story in policies/demo/story.py."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policies.demo import story
from policies.demo.driver import Seeder

# What the summary counts, in the operator's language.
KINDS = {
    "agencies": gettext_lazy("agencies"),
    "committees": gettext_lazy("committees"),
    "consultations": gettext_lazy("consultations"),
    "decisions": gettext_lazy("decisions"),
    "follow-up actions": gettext_lazy("follow-up actions"),
    "meetings": gettext_lazy("meetings"),
    "minutes": gettext_lazy("final minutes"),
    "papers": gettext_lazy("meeting papers (PDF)"),
    "memberships": gettext_lazy("committee memberships"),
    "proposals": gettext_lazy("proposals"),
    "public decisions": gettext_lazy("decisions made public"),
    "users": gettext_lazy("users"),
}


class Command(BaseCommand):
    help = "Create (or complete) the demo committee, agencies, people and proposals. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-debug",
            action="store_true",
            help="Seed even though DEBUG is off (a staging copy, the test suite). Never on a live system.",
        )

    def handle(self, *args, **options):
        # The demo creates a superuser and two dozen accounts with a published password.
        if not settings.DEBUG and not options["without_debug"]:
            raise CommandError(
                _(
                    "Refusing to create demo accounts with a published password while DEBUG is off. "
                    "Use --without-debug if this really is a demo or test database."
                )
            )
        seeder = Seeder(password=settings.DEMO_PASSWORD)
        # One transaction: a failure leaves the database as it was, never half a story.
        with transaction.atomic():
            seeder.run()
        if seeder.created:
            summary = ", ".join(f"{KINDS[kind]} {count}" for kind, count in sorted(seeder.created.items()))
            self.stdout.write(self.style.SUCCESS(_("Demo data created: %(summary)s.") % {"summary": summary}))
        else:
            self.stdout.write(_("Demo data already present; nothing to do."))
        self.stdout.write(
            _("Demo logins (password from DEMO_PASSWORD): secretariat, admin, %(liaisons)s, member-1 … member-%(n)s.")
            % {
                "liaisons": ", ".join(f"liaison-{acronym.lower()}" for acronym in story.AGENCIES),
                "n": len(story.MEMBERS),
            }
        )
