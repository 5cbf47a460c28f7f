"""Files stored before they belong to anything: the portal's pending uploads (policies/portal/pending.py).

A liaison's chosen files are kept under `pending/` across a refused save and listed in the session; the
next successful save attaches them and deletes the copies. A form that is never saved leaves its copies
behind, so a periodic sweep deletes those older than the longest possible session: by then no session can
still list them.
"""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

PENDING_FOLDER = "pending"


def sweep_pending_uploads(now: datetime.datetime | None = None) -> int:
    """Delete pending files older than the longest session; return how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.SESSION_MAX_SECONDS)
    try:
        _, names = default_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:  # nothing was ever left pending
        return 0
    deleted = 0
    for name in names:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # saved and deleted by its form meanwhile
            continue
    return deleted
