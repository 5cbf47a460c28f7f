"""Two digest sweeps at once (two beat ticks, two workers): each skips what the other holds instead of waiting.

The sweep locks its batch with SKIP LOCKED; without it, a sweep would wait on the other's batch (and a slow
SMTP-free batch can still take minutes on a large committee), or fail on the lock timeout.
"""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from committee.outbox.models import OutboundEmail
from policies import digests
from policies.models import DigestPreference
from tests import cast

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_sweep_skips_a_preference_another_sweep_holds(committee, lead_liaison, secretariat, health):
    held_member, free_member = cast.make_member(committee, "member-held"), cast.make_member(committee, "member-free")
    cast.proposal_in_state("submitted", committee=committee, liaison=lead_liaison, secretariat=secretariat, area=health)
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    for user in (held_member, free_member):
        DigestPreference.objects.create(
            user=user,
            frequency=DigestPreference.Frequency.DAILY,
            period_start=two_days_ago - datetime.timedelta(hours=1),
        )
    held = DigestPreference.objects.get(user=held_member)
    locked, release = threading.Event(), threading.Event()

    def other_sweep_holding_one_preference():
        try:
            with transaction.atomic():
                DigestPreference.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_sweep_holding_one_preference)
    other.start()
    assert locked.wait(30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting would fail the sweep, not hang the test
        queued = digests.send_digests()
    finally:
        release.set()
        other.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert queued == 1
    assert list(OutboundEmail.objects.filter(kind="digest").values_list("to_address", flat=True)) == [free_member.email]
    held.refresh_from_db()
    assert held.period_start < two_days_ago  # still due: the next sweep sends it
    assert digests.send_digests() == 1
