"""Row 6: from the commit of an event to the SMTP server's acceptance of its email, with a real Celery worker.

    DATABASE_URL=postgres://.../bio_smtpbench REDIS_URL=redis://127.0.0.1:6379/9 DEBUG=false SECRET_KEY=... \
        .venv/bin/python bench/smtp.py --events 500 --setup

The event is a liaison submitting a draft proposal (`services.submit_proposal`): it emails each member of the
committee's secretariat (one in the demo data). The events are submitted one after another, each in its own
transaction, with no pause between them unless --pause-ms asks for one. Untimed before them: the drafts are
written, the worker is started and `--warm-up` events are delivered (a running worker has imported its templates
long before).

- an SMTP server (aiosmtpd) runs in a thread of this process, on a free port of 127.0.0.1, and notes time.time()
  when it accepts each message's DATA;
- a Celery worker runs as `celery -A committee worker` (prefork, the concurrency of bin/run) on its own queue
  of the Redis in REDIS_URL, sending to that server through the outbox's SMTP backend;
- the commit time is noted by an on_commit hook registered before the verb's own (which publish the task).

Emails are matched to events by recipient and subject (the subject carries the proposal's reference). Besides
the total, each email's time is cut at the publish (this process), the worker's claim of the row (claimed_at)
and the acceptance. Prints one JSON line and writes bench/results-smtp.json.
"""

import argparse
import datetime
import email
import email.policy
import json
import logging
import math
import os
import platform
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")

import django

django.setup()

import celery  # noqa: E402
import psycopg  # noqa: E402
import psycopg.sql  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from committee.celery import app  # noqa: E402
from committee.directory.models import Committee  # noqa: E402
from committee.outbox.models import OutboundEmail  # noqa: E402
from policies import services  # noqa: E402
from policies.models import PolicyArea, Proposal, ProposalEvent  # noqa: E402

HERE = Path(__file__).resolve().parent
CELERY = Path(sys.executable).with_name("celery")


class Acceptances:
    """The SMTP handler: when each message was accepted, to whom, and what it said (parsed later)."""

    def __init__(self):
        self.accepted: list[tuple[float, tuple[str, ...], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.accepted.append((time.time(), tuple(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def by_recipient_and_subject(self) -> dict[tuple[str, str], list[float]]:
        with self.lock:
            accepted = list(self.accepted)
        found = {}
        for at, recipients, content in accepted:
            subject = str(email.message_from_bytes(content, policy=email.policy.default)["subject"])
            for address in recipients:
                found.setdefault((address, subject), []).append(at)
        return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_worker(queue: str, smtp_port: int, concurrency: int, pool: str, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "10",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    command = [str(CELERY), "-A", "committee", "worker", f"--pool={pool}", f"--concurrency={concurrency}"]
    command += ["-Q", queue, "--loglevel=INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"]
    log = log_path.open("w")
    worker = subprocess.Popen(  # nosec B603
        [*command, "-n", f"{queue}@%h"], cwd=HERE.parent, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while " ready." not in log_path.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"The worker did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


def forget_queue(queue: str) -> None:
    """Leave nothing of this run's queue in Redis (kombu keeps its bindings after the queue is deleted)."""
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        channel.queue_delete(queue)
        for key in channel.client.scan_iter(f"_kombu.binding*.{queue}"):
            channel.client.delete(key)


def set_up_database(queue: str) -> None:
    """Create the database if missing, migrate it, and seed the demo committee unless its secretariat is there
    (seed_demo takes half a minute). What the demo queues goes to this run's queue and is purged before the worker
    starts: its rows stay pending for a sweeper that does not run here, and nothing of it is timed."""
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    with psycopg.connect(**params, password=db["PASSWORD"] or None, dbname="postgres", autocommit=True) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            server.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(db["NAME"])))
    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(username="secretariat").exists():
        call_command("seed_demo", "--without-debug")
    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue)


def write_drafts(count: int, committee: Committee, liaison, run_id: str) -> list[Proposal]:
    area = PolicyArea.objects.order_by("position").first()
    return [
        services.create_proposal(
            by=liaison,
            committee=committee,
            title=f"Commit-to-SMTP bench {run_id} #{n}",
            summary="A proposal submitted by bench/smtp.py.",
            requested_decision="None: it measures how fast its notification is emailed.",
            policy_area=area,
        )
        for n in range(count)
    ]


def submit(proposal: Proposal, liaison) -> dict:
    """Submit one draft; note the time of the commit and of the end of the verb's own on_commit hooks."""
    stamps = {"proposal": proposal.pk}
    with transaction.atomic():
        transaction.on_commit(lambda: stamps.setdefault("committed", time.time()))  # first: the commit itself
        services.submit_proposal(proposal, by=liaison)
        transaction.on_commit(lambda: stamps.setdefault("published", time.time()))  # after the task's publish
    return stamps


def emails_of(events: list[dict], since: datetime.datetime) -> list[dict]:
    """The outbox rows the events wrote (keyed `proposal-event:<event id>:<recipient id>`), each with its event's
    stamps. Nothing else writes to this database during the run; `since` leaves out the demo's older rows."""
    by_proposal = {event["proposal"]: event for event in events}
    event_of = dict(
        ProposalEvent.objects.filter(proposal_id__in=by_proposal, action="submit").values_list("pk", "proposal_id")
    )
    rows = OutboundEmail.objects.filter(dedup_key__startswith="proposal-event:", created_at__gte=since)
    found = []
    for row in rows.values("dedup_key", "to_address", "subject", "claimed_at", "sent_at", "status"):
        event_pk = int(row["dedup_key"].split(":")[1])
        if event_pk in event_of:
            found.append({**row, **by_proposal[event_of[event_pk]]})
    return found


def wait_for_acceptance(server: Acceptances, emails: list[dict], timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        accepted = server.by_recipient_and_subject()
        if all((e["to_address"], e["subject"]) in accepted for e in emails) or time.monotonic() > deadline:
            return accepted
        time.sleep(0.2)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 1) if ordered else None


def spread(values: list[float]) -> dict:
    return {"p50_ms": percentile(values, 0.5), "p95_ms": percentile(values, 0.95), "max_ms": percentile(values, 1)}


def measure(emails: list[dict], accepted: dict) -> dict:
    """Total and stage times of the emails the server accepted; the first acceptance counts, more are duplicates."""
    total, publish, pickup, sending, duplicates = [], [], [], [], 0
    for row in emails:
        times = accepted.get((row["to_address"], row["subject"]))
        if not times:
            continue
        duplicates += len(times) - 1
        total.append((times[0] - row["committed"]) * 1000)
        publish.append((row["published"] - row["committed"]) * 1000)
        if row["claimed_at"]:
            claimed = row["claimed_at"].timestamp()
            pickup.append((claimed - row["published"]) * 1000)
            sending.append((times[0] - claimed) * 1000)
    return {
        "delivered": len(total),
        "missing": len(emails) - len(total),
        "duplicates": duplicates,
        **spread(total),
        "stages": {
            "commit to task published (this process)": spread(publish),
            "published to row claimed (broker, worker pickup, task start)": spread(pickup),
            "claimed to accepted (build the message, SMTP session)": spread(sending),
        },
    }


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "postgres": pg,
        "python": platform.python_version(),
        "django": django.get_version(),
        "celery": celery.__version__,
        "debug": settings.DEBUG,
        "load": os.getloadavg(),
    }


def run_events(args, drafts: list[Proposal], liaison, server: Acceptances) -> tuple[list[dict], float]:
    """The warm-up events (delivered before going on), then the timed ones back to back."""
    since = datetime.datetime.now(datetime.UTC)
    warm_up = [submit(proposal, liaison) for proposal in drafts[: args.warm_up]]
    if warm_up:
        wait_for_acceptance(server, emails_of(warm_up, since), args.timeout)
        print(f"warm-up: {len(warm_up)} events delivered", file=sys.stderr, flush=True)
    events, started = [], time.perf_counter()
    for n, proposal in enumerate(drafts[args.warm_up :], 1):
        events.append(submit(proposal, liaison))
        time.sleep(args.pause_ms / 1000)
        if n % 100 == 0 or n == args.events:
            print(f"{n} events committed", file=sys.stderr, flush=True)
    return events, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--warm-up", type=int, default=5, help="untimed events delivered first")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (bin/run's default)")
    parser.add_argument("--pool", default="prefork")
    parser.add_argument("--pause-ms", type=float, default=0, help="pause after each event (0: back to back)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the last email")
    parser.add_argument("--committee", default="NBC")
    parser.add_argument("--liaison", default="liaison-msit", help="who drafts and submits")
    parser.add_argument("--setup", action="store_true", help="migrate, and seed the demo data if missing")
    parser.add_argument("--out", default=str(HERE / "results-smtp.json"))
    args = parser.parse_args()
    if not str(app.conf.broker_url).startswith("redis"):
        raise SystemExit("Row 6 needs a real broker: set REDIS_URL.")
    run_id = uuid.uuid4().hex[:8]
    queue = app.conf.task_default_queue = f"bench-smtp-{run_id}"  # nothing else consumes its tasks
    if args.setup:
        set_up_database(queue)
    committee = Committee.objects.get(code=args.committee)
    liaison = get_user_model().objects.get(username=args.liaison)
    drafts = write_drafts(args.warm_up + args.events, committee, liaison, run_id)
    print(f"{len(drafts)} drafts written", file=sys.stderr, flush=True)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    sys.setswitchinterval(0.001)  # the SMTP thread answers within 1 ms of the worker's DATA, not 5
    server = Acceptances()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    log_path = Path(settings.VAR_DIR) / "log" / "bench-smtp-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    worker = start_worker(queue, controller.port, args.concurrency, args.pool, log_path)
    since = datetime.datetime.now(datetime.UTC)
    try:
        events, seconds = run_events(args, drafts, liaison, server)
        emails = emails_of(events, since)
        accepted = wait_for_acceptance(server, emails, args.timeout)
    finally:
        stop_worker(worker)
        controller.stop()
        forget_queue(queue)
    row = {
        "row": "6 commit to SMTP",
        "event": "submit_proposal (emails the committee's secretariat)",
        "pace": f"one after another, {f'{args.pause_ms:g} ms apart' if args.pause_ms else 'no pause'}",
        "events": len(events),
        "events_per_second": round(len(events) / seconds, 1),
        "emails": len(emails),
        "pool": args.pool,
        "concurrency": args.concurrency,
        "warm_up": args.warm_up,
        "timeout_s": args.timeout,
        **measure(emails, accepted),
    }
    print(json.dumps(row), flush=True)
    results = {
        "command": " ".join(sys.argv),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "proposals": Proposal.objects.count(),
        "rows": [row],
    }
    Path(args.out).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
