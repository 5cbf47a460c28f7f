"""The kinds of notification and email, in words: the outbox stores a kind's slug; the app that writes letters
registers their words (policies: notifications.Kind, in its AppConfig.ready), and the kinds a person must
receive, which no email choice or unsubscribe link turns off."""

from committee.vocabulary import Vocabulary

KINDS = Vocabulary("notification kind")
MANDATORY: set[str] = set()


def register_mandatory(kinds) -> None:
    MANDATORY.update(str(kind) for kind in kinds)


def is_mandatory(kind: str) -> bool:
    return str(kind) in MANDATORY
