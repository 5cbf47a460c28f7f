"""People's names as their readers expect them: 김민준 to a Korean reader, Minjun Kim to an English one."""

import unicodedata

from django.conf import settings
from django.utils import translation

from .models import profile_of


def is_hangul(text: str) -> bool:
    """Whether every letter of `text` is Hangul (spaces and punctuation aside)."""
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(unicodedata.name(char, "").startswith("HANGUL") for char in letters)


def display_name(user, language: str | None = None) -> str:
    """The name to show, write in a letter or put in an invitation, in `language` (default: the active one).

    Korean readers get the family name first, with no space between Hangul names (김민준) and a space between
    others (Kim Minjun); English readers get the given name first (Minjun Kim). Without a recorded name, the
    username. An empty string for no one at all (a deleted actor).
    """
    if user is None:
        return ""
    given, family = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (given or family):
        return user.get_username()
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if not language.startswith("ko"):
        return " ".join(part for part in (given, family) if part)
    separator = "" if is_hangul(given + family) else " "
    return separator.join(part for part in (family, given) if part)


def name_for(user, reader) -> str:
    """`user`'s name as `reader` reads it: in the reader's own language (their profile), whatever is active."""
    profile = profile_of(reader)
    return display_name(user, profile.language if profile and profile.language else settings.LANGUAGE_CODE)


def labelled(user, language: str | None = None) -> str:
    """A name with its username, for choosing among people: 김민준 (minjun.kim)."""
    name = display_name(user, language)
    username = user.get_username()
    return name if name == username else f"{name} ({username})"
