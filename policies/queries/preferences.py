"""A person's email choices, as the settings page, the API and the digest read them."""

from committee.outbox.models import EmailChoice
from policies.notifications import CHOOSABLE_KINDS, MANDATORY_KINDS


def email_choices_of(user) -> dict[str, str]:
    """How each kind of email reaches `user`: every kind they may choose for, "instant" where nothing is stored,
    and the kinds they must receive, always "instant"."""
    stored = dict(EmailChoice.objects.filter(user=user, kind__in=CHOOSABLE_KINDS).values_list("kind", "delivery"))
    choices = {str(kind): stored.get(str(kind), EmailChoice.Delivery.INSTANT.value) for kind in CHOOSABLE_KINDS}
    return {**choices, **{str(kind): EmailChoice.Delivery.INSTANT.value for kind in MANDATORY_KINDS}}
