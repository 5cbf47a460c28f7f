"""People's names as their readers expect them: 김민준 to every reader, Minjun Kim to an English one."""

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

    A name written in Hangul is written as Koreans write it for every reader: family name first, no space
    (김민준; "민준 김" on an English page reads as a mistake). A name in Latin letters has the family name first
    for Korean readers (Kim Minjun) and the given name first for English ones (Minjun Kim). Without a recorded
    name, the username. An empty string for no one at all (a deleted actor).
    """
    if user is None:
        return ""
    given, family = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (given or family):
        return user.get_username()
    if is_hangul(given + family):
        return family + given
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    order = (family, given) if language.startswith("ko") else (given, family)
    return " ".join(part for part in order if part)


def name_for(user, reader) -> str:
    """`user`'s name as `reader` reads it: in the reader's own language (their profile), whatever is active."""
    profile = profile_of(reader)
    return display_name(user, profile.language if profile and profile.language else settings.LANGUAGE_CODE)


def labelled(user, language: str | None = None) -> str:
    """A name with its username, for choosing among people: 김민준 (minjun.kim)."""
    name = display_name(user, language)
    username = user.get_username()
    return name if name == username else f"{name} ({username})"
