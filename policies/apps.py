from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = _("Policies")

    def ready(self):
        from committee.audit.actions import ACTIONS
        from committee.outbox.kinds import KINDS, register_mandatory

        from .notifications import MANDATORY_KINDS, Kind
        from .services.audit import AUDIT_ACTIONS

        ACTIONS.register(AUDIT_ACTIONS)
        KINDS.register(dict(Kind.choices))
        register_mandatory(MANDATORY_KINDS)
