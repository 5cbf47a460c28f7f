"""Real delivery: a Celery worker process on real Redis, sending to a real SMTP server on loopback.

The tests commit (transactional), the worker reads the same test database, and each test uses its own
queue so nothing else consumes its tasks. "Exactly once" is read after every task the test published has
finished (from the worker's log), never after a pause: by then whatever those tasks sent has arrived.
"""

import datetime
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from committee.celery import app
from committee.outbox import delivery
from committee.outbox.models import OutboundEmail
from committee.outbox.tasks import sweep_outbox
from policies import services
from tests import cast
from tests.outbox.conftest import celery_broker, free_port

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CELERY = Path(sys.executable).with_name("celery")


def database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, timeout=20.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


class Worker:
    def __init__(self, queue, smtp_port, log_path, **env):
        self.queue, self.smtp_port, self.log_path, self.extra_env = queue, smtp_port, log_path, env
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_TIMEOUT": "10",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "LOG_LEVEL": "INFO",
            **self.extra_env,
        }
        self.log = open(self.log_path, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "committee", "worker", "--pool=solo", "-Q", self.queue, "--loglevel=INFO",
             "--without-heartbeat", "--without-mingle", "--without-gossip", "-n", f"{uuid.uuid4().hex[:8]}@%h"],
            cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert wait_for(lambda: " ready." in self.log_path.read_text(), timeout=30), self.log_path.read_text()
        return self

    def finished(self, task: str) -> list[str]:
        """The logged return values of the `task` runs this worker has finished, in order."""
        pattern = rf"Task committee\.outbox\.tasks\.{task}\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: (.*)$"
        return re.findall(pattern, self.log_path.read_text(), re.MULTILINE)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def queue():
    name = f"test-outbox-{uuid.uuid4().hex[:10]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = name
    yield name
    app.conf.task_default_queue = previous


@pytest.fixture
def start_worker(queue, smtp_server, tmp_path):
    workers = []

    def start(**env):
        workers.append(Worker(queue, smtp_server.port, tmp_path / f"worker-{len(workers)}.log", **env).start())
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()


def all_settled():
    return not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()


def test_a_submitted_proposal_is_emailed_to_each_secretariat_member_exactly_once(
    start_worker, smtp_server, committee, lead_liaison, secretariat, health
):
    second = cast.make_secretariat(committee, "secretariat-2")
    worker = start_worker()
    draft = cast.make_proposal(committee, lead_liaison, health)
    services.submit_proposal(draft, by=lead_liaison)  # commits; one delivery task is published on commit
    assert wait_for(lambda: len(worker.finished("deliver_emails")) == 1)
    assert OutboundEmail.objects.filter(status="sent").count() == 2
    assert smtp_server.received_by(secretariat.email) == 1
    assert smtp_server.received_by(second.email) == 1
    assert len(smtp_server.messages) == 2
    assert delivery.due_email_ids() == []
    draft.refresh_from_db()
    assert draft.reference.encode() in smtp_server.messages[0][1]


def test_redis_down_at_commit_then_back_the_sweeper_delivers_once(
    start_worker, smtp_server, committee, lead_liaison, secretariat, health
):
    worker = start_worker()
    draft = cast.make_proposal(committee, lead_liaison, health)
    with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):
        services.submit_proposal(draft, by=lead_liaison)  # the publish fails; the commit stands
    email = OutboundEmail.objects.get()
    assert email.status == OutboundEmail.Status.PENDING and delivery.due_email_ids() == [email.pk]
    sweep_outbox.delay()  # what beat does every minute, now that Redis answers again
    assert wait_for(lambda: worker.finished("sweep_outbox") == ["1"] and len(worker.finished("deliver_emails")) == 1)
    assert all_settled()
    sweep_outbox.delay()  # a second sweep finds nothing to do
    assert wait_for(lambda: len(worker.finished("sweep_outbox")) == 2)
    assert worker.finished("sweep_outbox") == ["1", "0"]  # it queued no delivery
    assert smtp_server.received_by(secretariat.email) == 1
    assert len(smtp_server.messages) == 1


def test_a_worker_killed_mid_batch_leaves_no_duplicates_after_the_rerun(start_worker, smtp_server, outsider):
    addresses = [f"reader{n}@example.go.kr" for n in range(5)]
    with transaction.atomic():
        ids = [
            OutboundEmail.objects.create(
                kind="test", dedup_key=f"kill:{a}", to_address=a, subject="Batch", body_text="Hello"
            ).pk
            for a in addresses
        ]
        delivery.enqueue_on_commit(ids)  # one task for the whole batch
    smtp_server.stall_on = {addresses[2]}
    first = start_worker(OUTBOX_CLAIM_LEASE_SECONDS="2")
    assert smtp_server.stalled.wait(timeout=20)
    first.kill()  # SIGKILL in the middle of the third message
    statuses = dict(OutboundEmail.objects.values_list("to_address", "status"))
    assert [statuses[a] for a in addresses] == ["sent", "sent", "sending", "pending", "pending"]
    smtp_server.stall_on = set()
    smtp_server.release.set()

    second = start_worker(OUTBOX_CLAIM_LEASE_SECONDS="2")
    # The dead worker's claim is older than its lease (as if 3 seconds had passed).
    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING).update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=3)
    )
    sweep_outbox.delay()
    assert wait_for(lambda: second.finished("sweep_outbox") == ["3"] and len(second.finished("deliver_emails")) == 1)
    assert all_settled()
    assert [smtp_server.received_by(a) for a in addresses] == [1, 1, 1, 1, 1]
    assert OutboundEmail.objects.get(to_address=addresses[2]).attempts == 2


def test_two_workers_given_the_same_batch_twice_send_each_message_once(start_worker, smtp_server, outsider):
    addresses = [f"reader{n}@example.go.kr" for n in range(20)]
    ids = [
        OutboundEmail.objects.create(
            kind="test", dedup_key=f"race:{a}", to_address=a, subject="Race", body_text="Hi"
        ).pk
        for a in addresses
    ]
    workers = [start_worker(), start_worker()]
    for _ in range(3):  # the commit hook, a sweeper run and a redelivered task all carry the same ids
        assert delivery.enqueue_delivery(ids)
    assert wait_for(lambda: sum(len(worker.finished("deliver_emails")) for worker in workers) == 3)
    assert all_settled()
    assert [smtp_server.received_by(a) for a in addresses] == [1] * 20
    assert set(OutboundEmail.objects.values_list("attempts", flat=True)) == {1}


def worker_sessions(before: frozenset[int] = frozenset()) -> list[int]:
    """The backend pids of client sessions on this database other than this test's own and those of `before`
    (taken before the worker started, so a session another test left closing does not count): the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall() if pid not in before]


def queue_emails(count: int, key: str) -> list[int]:
    return [
        OutboundEmail.objects.create(
            kind="test", dedup_key=f"{key}:{n}", to_address=f"reader{n}@example.go.kr", subject=key, body_text="Hi"
        ).pk
        for n in range(count)
    ]


def test_the_worker_keeps_its_database_connection_from_one_task_to_the_next(start_worker, smtp_server, outsider):
    first, second = queue_emails(2, "reuse")
    before = frozenset(worker_sessions())
    worker = start_worker(DB_CONN_MAX_AGE="60")  # as deployed (the other tests' workers close theirs at once)
    assert delivery.enqueue_delivery([first])
    assert wait_for(lambda: len(worker.finished("deliver_emails")) == 1 and len(worker_sessions(before)) == 1)
    session = worker_sessions(before)
    assert delivery.enqueue_delivery([second])
    assert wait_for(lambda: len(worker.finished("deliver_emails")) == 2)
    assert worker_sessions(before) == session  # the same session served both tasks: no connection opened per task
    assert all_settled()


def test_a_task_after_the_database_dropped_the_workers_connection_connects_anew(start_worker, smtp_server, outsider):
    first, second = queue_emails(2, "dropped")
    before = frozenset(worker_sessions())
    worker = start_worker(DB_CONN_MAX_AGE="60")
    assert delivery.enqueue_delivery([first])
    assert wait_for(lambda: len(worker.finished("deliver_emails")) == 1 and len(worker_sessions(before)) == 1)
    with connection.cursor() as cursor:  # what a database restart does to a kept connection
        cursor.execute("SELECT pg_terminate_backend(%s)", worker_sessions(before))
    assert delivery.enqueue_delivery([second])
    assert wait_for(lambda: len(worker.finished("deliver_emails")) == 2)  # not left to the sweeper a minute later
    assert all_settled()
    assert [smtp_server.received_by(f"reader{n}@example.go.kr") for n in range(2)] == [1, 1]
