"""One-click unsubscribe (RFC 8058): signed tokens naming a person and a kind of email, no login needed.

Every email carries one for its own kind (delivery.letter); the list name in a token is the kind's slug."""

import re

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

SALT = "committee.outbox.unsubscribe"


def make_token(user_id: int, list_name: str) -> str:
    return signing.dumps({"u": user_id, "l": str(list_name)}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str]:
    """The (user id, list name) a token was made for; raises signing.BadSignature if it was not made by us."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("l"), str):
        raise signing.BadSignature("malformed unsubscribe token")
    return data["u"], data["l"]


def unsubscribe_url(user_id: int, list_name: str) -> str:
    path = reverse("notifications:unsubscribe", args=[make_token(user_id, list_name)])
    return f"{settings.SITE_URL}{path}"


def list_headers(user_id: int, list_name: str, url: str | None = None) -> dict[str, str]:
    """Headers that let mail clients offer a one-click unsubscribe button (`url`: one made for the same pair)."""
    return {
        "List-Unsubscribe": f"<{url or unsubscribe_url(user_id, list_name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def handler():
    """The function that takes a user off a kind of email, handler(user, kind) (settings.OUTBOX_UNSUBSCRIBE_HANDLER)."""
    return import_string(settings.OUTBOX_UNSUBSCRIBE_HANDLER)


HIDDEN = _("[hidden]")
# Query parameters that carry a secret in a link, whoever wrote the link.
_SECRET_PARAMETER = re.compile(r"((?:[?&;])(?:token|key|signature|sig)=)[^&#\s<>\"']+", re.IGNORECASE)


def mask_tokens(text: str) -> str:
    """`text` with the secret part of every unsubscribe link (and of any link with a token parameter) hidden.

    For showing stored mail to people who may not act on its recipients' behalf: anyone holding a token
    could unsubscribe its owner.
    """
    if not text:
        return text
    prefix = reverse("notifications:unsubscribe", args=["-"])[: -len("-/")]

    def hide(match):
        return match.group(1) + str(HIDDEN)

    text = re.sub(rf"({re.escape(prefix)})[^/\s<>\"'&]+", hide, text)
    return _SECRET_PARAMETER.sub(hide, text)


def mask_headers(headers: dict) -> dict:
    """Stored headers with every token in their values hidden (List-Unsubscribe carries one)."""
    return {name: mask_tokens(str(value)) for name, value in (headers or {}).items()}
