"""One-click unsubscribe (RFC 8058): signed tokens naming a person and a mailing list, no login needed."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.module_loading import import_string

SALT = "committee.outbox.unsubscribe"


def make_token(user_id: int, list_name: str) -> str:
    return signing.dumps({"u": user_id, "l": list_name}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str]:
    """The (user id, list name) a token was made for; raises signing.BadSignature if it was not made by us."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("l"), str):
        raise signing.BadSignature("malformed unsubscribe token")
    return data["u"], data["l"]


def unsubscribe_url(user_id: int, list_name: str) -> str:
    path = reverse("notifications:unsubscribe", args=[make_token(user_id, list_name)])
    return f"{settings.SITE_URL}{path}"


def list_headers(user_id: int, list_name: str) -> dict[str, str]:
    """Headers that let mail clients offer a one-click unsubscribe button."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id, list_name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def handler_for(list_name: str):
    """The function that takes a user off a list (settings.OUTBOX_UNSUBSCRIBE_HANDLERS), or None."""
    path = getattr(settings, "OUTBOX_UNSUBSCRIBE_HANDLERS", {}).get(list_name)
    return import_string(path) if path else None
