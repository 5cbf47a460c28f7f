"""API tokens: issued for a password, alive while in use, revoked by their holder or with the password.

django-rest-knox keeps them: only a hash of each token is stored (with its first characters, `token_key`, to
find it), a user may hold several, and knox refuses expired tokens and inactive users. What this module adds:

- idle expiry: each use moves `expiry` on by the idle period (REST_KNOX["TOKEN_TTL"]) and stamps `last_used`,
  with at most one write per token per MIN_REFRESH_INTERVAL, so that reading the API does not write on
  every request;
- the verbs the API and the portal call: issue, list, revoke one, revoke all;
- every token of a user is deleted when their password changes or their account is deactivated, whatever
  changed it (the admin's password form, `manage.py changepassword`, the portal). Those paths are Django's
  own code, not our verbs, so this is the one side effect wired to the user model's save: `pre_save` sees
  the change, `post_save` deletes the tokens once the change is stored.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.settings import knox_settings

from .models import ApiToken

# Every authentication path that sets this on a user instance is asking for its tokens to go after save.
_REVOKE_FLAG = "_revoke_api_tokens_on_save"


def issue_token(user) -> tuple[ApiToken, str]:
    """A new token for `user`: the row, and the token itself, which is shown once and never stored."""
    return ApiToken.objects.create(user=user)


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def revoke_token(token: ApiToken) -> None:
    token.delete()


def revoke_token_by_key(user, token_key: str) -> bool:
    """Revoke the user's token whose `token_key` this is; False if they hold none (another user's is no match)."""
    deleted, _ = ApiToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted > 0


def revoke_all_tokens(user) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


class ApiTokenAuthentication(TokenAuthentication):
    """knox's `Authorization: Token <token>`, with idle expiry stamped at most once a minute per token."""

    def renew_token(self, auth_token: ApiToken) -> None:
        now = timezone.now()
        last = auth_token.last_used
        if last is not None and (now - last).total_seconds() < knox_settings.MIN_REFRESH_INTERVAL:
            return
        auth_token.last_used = now
        auth_token.expiry = now + knox_settings.TOKEN_TTL
        # A guarded update: a token revoked by a request running alongside is not brought back to life.
        ApiToken.objects.filter(pk=auth_token.pk).update(last_used=now, expiry=auth_token.expiry)


# --- tokens go with the password and the account ------------------------------------------------------


def _note_credential_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. the last_login stamp of every sign-in
    # Django marks a new password with `_password` until it is saved; a hash upgrade on sign-in clears
    # the mark before saving, and is not a password change (django.contrib.auth.base_user).
    changed = getattr(instance, "_password", None) is not None
    if not changed and (not instance.is_active or not instance.has_usable_password()):
        # Deactivated, or sign-in by password switched off: compare with what is stored.
        stored = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
        changed = stored is not None and (
            stored["password"] != instance.password or (stored["is_active"] and not instance.is_active)
        )
    if changed:
        setattr(instance, _REVOKE_FLAG, True)


def _revoke_after_credential_change(sender, instance, raw=False, **kwargs) -> None:
    if instance.__dict__.pop(_REVOKE_FLAG, False):
        revoke_all_tokens(instance)


def connect_signals() -> None:
    user_model = get_user_model()
    pre_save.connect(_note_credential_change, sender=user_model, dispatch_uid="api-tokens-note-change")
    post_save.connect(_revoke_after_credential_change, sender=user_model, dispatch_uid="api-tokens-revoke")
