"""Sign-in that resists password guessing, for every door: portal, admin and API token alike.

Failed attempts are counted per (username, client address) in the cache; past the limit, that pair is
refused until the window passes, even with the right password. Counting per address as well means an
attacker elsewhere cannot lock a real user out of their own desk.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


def _failure_key(username: str, request) -> str:
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    digest = hashlib.sha256(f"{(username or '').strip().lower()}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def is_locked_out(username: str, request) -> bool:
    return cache.get(_failure_key(username, request), 0) >= settings.LOGIN_FAILURE_LIMIT


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.get(self._username_field())
        key = _failure_key(username, request)
        if cache.get(key, 0) >= settings.LOGIN_FAILURE_LIMIT:
            # PermissionDenied stops Django trying other backends; the form shows its usual error.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        else:
            cache.delete(key)
        return user

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
