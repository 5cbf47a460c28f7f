"""Files chosen on a portal form that was never saved are deleted once no session can still list them."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from policies import uploads

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SESSION_MAX_SECONDS = 12 * 60 * 60
    return tmp_path / "media"


def stored(name: str, age: datetime.timedelta) -> str:
    path = default_storage.save(f"{uploads.PENDING_FOLDER}/{name}", ContentFile(b"%PDF-1.4 pending"))
    moment = (timezone.now() - age).timestamp()
    os.utime(default_storage.path(path), (moment, moment))
    return path


def test_the_sweep_deletes_pending_files_older_than_the_longest_session_and_keeps_the_rest(media):
    abandoned = stored("abandoned.pdf", datetime.timedelta(hours=12, minutes=1))
    in_use = stored("in-use.pdf", datetime.timedelta(hours=11, minutes=59))
    elsewhere = default_storage.save("attachments/kept.pdf", ContentFile(b"%PDF-1.4 attachment"))
    os.utime(default_storage.path(elsewhere), (0, 0))  # ancient, but not pending

    assert uploads.sweep_pending_uploads() == 1
    assert not default_storage.exists(abandoned)
    assert default_storage.exists(in_use) and default_storage.exists(elsewhere)
    assert uploads.sweep_pending_uploads() == 0  # safe to run again


def test_the_sweep_with_nothing_ever_pending_does_nothing(media):
    assert uploads.sweep_pending_uploads() == 0
