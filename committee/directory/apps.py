from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "committee.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from . import checks, sessions, tokens  # noqa: F401  (checks registers the deploy check; sessions end on sign-in limits and deactivation)

        tokens.connect_signals()

        from committee.audit.actions import ACTIONS

        from .audit_actions import AUDIT_ACTIONS

        ACTIONS.register(AUDIT_ACTIONS)
