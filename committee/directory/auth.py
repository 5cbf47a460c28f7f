"""Sign-in that resists password guessing, for every door: portal, admin and API token alike.

Failed attempts are counted per (username, client address) in the cache; past the limit, that pair is
refused until the window passes, even with the right password. Counting per address as well means an
attacker elsewhere cannot lock a real user out of their own desk. The client address is the one the API's
login throttle counts too (`client_address`), so neither trusts a forwarded address the client wrote.

Wrong second-factor codes (committee.directory.twofactor) count toward the same limit, in a counter of their
own: a right password clears the password failures only, so knowing the password never buys more guesses at
the code; a right code clears both.

Every step is in the audit log: a sign-in, a failed one (with the username tried, normalised, and the client
address), the failure that starts a lockout, and each attempt refused while locked out.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from committee.audit.log import record


def client_address(request) -> str:
    """The address of the client, as far as the NUM_PROXIES proxies in front of us vouch for it.

    With no proxy (the default) only the socket's address counts: X-Forwarded-For is the client's own
    writing. Behind N proxies, each appends the address it saw, so the Nth entry from the right is the one
    our outermost proxy saw; everything left of it is again the client's writing. An entry that is no
    address at all (a misconfigured proxy) falls back to the socket's address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if settings.NUM_PROXIES <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    candidate = entries[-min(settings.NUM_PROXIES, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def audit_address(request) -> str | None:
    """The client address an audit entry records: the same trusted-proxy rule, None when unknown."""
    return client_address(request) or None


def normalised_username(username: str | None) -> str:
    """The username as the lockout counts it and the audit log records it."""
    return (username or "").strip().lower()


def log_sign_in(action: str, username: str | None, request, *, user=None) -> None:
    """One audit entry about a sign-in step; the account tried is the target when it exists.

    Written in autocommit (sign-in doors hold no transaction), so a refused attempt stays logged.
    """
    from django.contrib.auth import get_user_model

    name = normalised_username(username)
    account = user or get_user_model()._default_manager.filter(**{f"{_username_field()}__iexact": name}).first()
    record(
        action,
        actor=user,
        target=account,
        detail=name,
        client_address=audit_address(request) if request is not None else None,
    )


def _username_field() -> str:
    from django.contrib.auth import get_user_model

    return get_user_model().USERNAME_FIELD


def _failure_key(username: str, request) -> str:
    address = client_address(request) if request is not None else ""
    digest = hashlib.sha256(f"{normalised_username(username)}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def _keys(username: str, request, *, second_factor: bool) -> list[str]:
    key = _failure_key(username, request)
    return [key, f"{key}:second-factor"] if second_factor else [key]


def is_locked_out(username: str, request) -> bool:
    counts = cache.get_many(_keys(username, request, second_factor=True))
    return sum(counts.values()) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, request, *, second_factor: bool = False) -> None:
    """Count one failed sign-in step; the count lives for the lockout period from the first failure."""
    key = _keys(username, request, second_factor=second_factor)[-1]
    cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    log_sign_in("sign_in.second_factor_failed" if second_factor else "sign_in.failed", username, request)
    if is_locked_out(username, request):
        log_sign_in("sign_in.locked_out", username, request)


def clear_failures(username: str, request, *, second_factor: bool = False) -> None:
    """A right password clears password failures; a right second factor clears both."""
    cache.delete_many(_keys(username, request, second_factor=second_factor))


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(self._username_field())
        if is_locked_out(username, request):
            log_sign_in("sign_in.refused_while_locked_out", username, request)
            # PermissionDenied stops Django trying other backends; the form shows its usual error.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, request)
        else:
            clear_failures(username, request)
            log_sign_in("sign_in.succeeded", username, request, user=user)
        return user

    def get_user(self, user_id):
        """The session's user with their profile in one statement: every request reads both (language, scope)."""
        from django.contrib.auth import get_user_model

        users = get_user_model()._default_manager.select_related("profile")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _username_field():
        return _username_field()
