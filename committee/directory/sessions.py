"""How long a signed-in session lives, and ending sessions when an account stops being trusted.

- A session ends after SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after sign-in
  whatever happens (SessionLifetimeMiddleware). The last request is written to the session at most once a
  minute, so the idle limit is exact to that minute and a busy page does not write the session on every hit.
- A password change ends every other session of that user: Django keeps a hash of the password in each
  session and refuses sessions whose hash no longer matches (the changing session is kept by
  update_session_auth_hash).
- Deactivating an account deletes its sessions (end_sessions_of, on the user's save), so reactivating it
  later does not bring an old cookie back to life; a session whose user can no longer sign in is flushed on
  its next request in any case.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED = "_signed_in_at"
SEEN = "_last_request_at"
TOUCH_EVERY_SECONDS = 60


def _now() -> int:
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="directory.sessions.stamp_sign_in")
def stamp_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[STARTED] = request.session[SEEN] = _now()


def session_expired(session, now: int) -> bool:
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        return False
    return now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_MAX_SECONDS


class SessionLifetimeMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware: end sessions that are idle or too old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = _now()
            if not request.user.is_authenticated:
                session.flush()  # deactivated, deleted, or its password changed: this session is over
            elif session_expired(session, now):
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
            elif session.get(STARTED) is None:
                session[STARTED] = session[SEEN] = now
            elif now - session[SEEN] >= TOUCH_EVERY_SECONDS:
                session[SEEN] = now
        return self.get_response(request)


def end_sessions_of(user, *, keep: str | None = None) -> int:
    """Delete every stored session of the user but `keep` (a session key); returns how many ended.

    Reads the database session store (Django's default, and this project's): sessions carry the user's id
    only inside their encoded data, so each live session is decoded once. Runs on deactivation, rare enough.
    """
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key != keep and session.get_decoded().get(SESSION_KEY) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@receiver(post_save, sender=get_user_model(), dispatch_uid="directory.sessions.end_on_deactivation")
def end_sessions_on_deactivation(sender, instance, **kwargs):
    # A signal, not a verb: accounts are deactivated in Django's own user admin, the shell and data loads,
    # and no path may leave a live session behind.
    if not instance.is_active:
        end_sessions_of(instance)
