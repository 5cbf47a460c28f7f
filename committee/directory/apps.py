from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "committee.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from . import sessions  # noqa: F401  (ends sessions on sign-in limits and on deactivation)
