"""The directory's audit actions and their words (committee.audit.actions; registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "account.created": _("Account created"),
    "account.privileges_changed": _("Account status or privileges changed"),
    "agency.created": _("Agency created"),
    "agency.changed": _("Agency changed"),
    "agency.deleted": _("Agency deleted"),
    "committee.secretariat_changed": _("Committee secretariat changed"),
    "committee.agencies_changed": _("Committee member agencies changed"),
    "membership.created": _("Membership created"),
    "membership.changed": _("Membership changed"),
    "membership.ended": _("Membership ended"),
    "membership.deleted": _("Membership deleted"),
    "profile.liaison_agency_changed": _("Liaison agency changed"),
    "sign_in.succeeded": _("Signed in"),
    "sign_in.failed": _("Sign-in failed"),
    "sign_in.second_factor_failed": _("Second factor failed"),
    "sign_in.locked_out": _("Sign-in locked out"),
    "sign_in.refused_while_locked_out": _("Sign-in refused while locked out"),
    "request.refused": _("Request refused (403)"),
}
