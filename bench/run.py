"""Scale benchmarks on a database filled by `generate.py --bulk`: every figure a ratio to its physical limit.

    bench/run                      # the wrapper: DEBUG off, the large database, writes bench/RESULTS.md
    .venv/bin/python bench/run.py --repeat 15 --small-url postgres://.../bio_bench_10k

Requests go through Django's test client in this process (no network, no web server): the figures are the
application's own cost (middleware, session, permission policy, queries, serializers, JSON) against the
cheapest thing that could answer the same request, measured side by side in the same loop so the noise of
a shared machine falls on both:

- the API list and detail against ONE SQL statement that builds the same JSON page inside PostgreSQL (same
  rows in the same order from the same restricted queryset, the same fields and nested parts, the count
  included), read as text over the same connection;
- portal pages and admin changelists against the API list of the same rows;
- the reminder sweep and the digest run against their absolute targets, with EXPLAIN plans and query counts.
"""

# ruff: noqa: B023  the closures in loops are called within the iteration that made them, never after it.

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from policies import permissions  # noqa: E402
from policies.models import Proposal  # noqa: E402
from policies.search import search_proposals  # noqa: E402

HERE = Path(__file__).resolve().parent
LIST_CASES = [
    # (label, query string, filters for the limit's queryset, search text, whole rows?)
    ("no filter", "page_size=50", {}, "", False),
    ("state filter", "page_size=50&state=under_review", {"state": "under_review"}, "", False),
    ("search", "page_size=50&search=genomic", {}, "genomic", False),
    ("expand=full", "page_size=50&expand=full", {}, "", True),
]


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def paired(app, limit, repeat: int) -> dict:
    """Median of `app` and of `limit`, alternating in one loop (after one warm-up each), and their ratio."""
    app(), limit()
    apps, limits = [], []
    for _ in range(repeat):
        apps.append(timed(app))
        limits.append(timed(limit))
    a, b = statistics.median(apps), statistics.median(limits)
    return {"app_ms": round(a, 1), "limit_ms": round(b, 1), "ratio": round(a / b, 2) if b else None}


def median_of(call, repeat: int) -> float:
    call()
    return round(statistics.median(timed(call) for _ in range(repeat)), 1)


def client_for(username: str) -> Client:
    client = Client(SERVER_NAME="localhost", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def get_ok(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code} {response.content[:300]!r}")
    return response


def queries_of(call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


# --- the physical limit: one statement building the page in PostgreSQL -----------------------------

FIELDS = {
    "id": "p.id",
    "reference": "p.reference",
    "committee": "c.code",
    "lead_agency": "a.acronym",
    "co_sponsors": """coalesce((SELECT json_agg(ca.acronym ORDER BY ca.acronym)
      FROM policies_proposal_co_sponsors cs JOIN directory_agency ca ON ca.id = cs.agency_id
      WHERE cs.proposal_id = p.id), '[]')""",
    "title": "p.title",
    "summary": "p.summary",
    "body": "p.body",
    "requested_decision": "p.requested_decision",
    "policy_area": "pa.code",
    "secondary_areas": """coalesce((SELECT json_agg(sa.code ORDER BY sa.position, sa.code)
      FROM policies_proposal_secondary_areas ss JOIN policies_policyarea sa ON sa.id = ss.policyarea_id
      WHERE ss.proposal_id = p.id), '[]')""",
    "estimated_budget_krw": "p.estimated_budget_krw",
    "state": "p.state",
    "version": "p.version",
    "submitted_at": "p.submitted_at",
    "created_at": "p.created_at",
    "updated_at": "p.updated_at",
    "timeline": """coalesce((SELECT json_agg(json_build_object(
        'action', e.action, 'from', e.from_state, 'to', e.to_state, 'actor', u.username,
        'comment', CASE WHEN e.comment <> '' THEN e.comment
                        WHEN e.details ? 'decision' THEN (e.details->>'decision') || ': ' || (e.details->>'outcome')
                        WHEN e.details ? 'position' THEN (e.details->>'agency') || ': ' || (e.details->>'position')
                        WHEN e.details ? 'agencies' THEN 'Opinion requested from ' || (e.details->>'agencies')
                             || ' by ' || coalesce(e.details->>'deadline', '') || '.'
                        ELSE '' END,
        'at', e.created_at) ORDER BY e.created_at, e.id)
      FROM policies_proposalevent e LEFT JOIN auth_user u ON u.id = e.actor_id WHERE e.proposal_id = p.id), '[]')""",
    "consultations": """coalesce((SELECT json_agg(json_build_object(
        'id', k.id, 'agency', ka.acronym, 'deadline', k.deadline, 'status', k.status, 'position', k.position,
        'opinion', k.opinion, 'late', k.late, 'answered_at', k.answered_at, 'revised_at', k.revised_at)
        ORDER BY k.deadline, k.id)
      FROM policies_consultation k JOIN directory_agency ka ON ka.id = k.agency_id
      WHERE k.proposal_id = p.id), '[]')""",
    "consolidated_position": """(SELECT json_build_object(
        'concur', coalesce(json_agg(ka.acronym) FILTER (WHERE k.position = 'concur'), '[]'),
        'concur_with_conditions',
            coalesce(json_agg(ka.acronym) FILTER (WHERE k.position = 'concur_with_conditions'), '[]'),
        'object', coalesce(json_agg(ka.acronym) FILTER (WHERE k.position = 'object'), '[]'),
        'silent', coalesce(json_agg(ka.acronym) FILTER (WHERE k.status = 'open'), '[]'),
        'no_longer_asked', coalesce(json_agg(ka.acronym) FILTER (WHERE k.status IN ('closed', 'withdrawn')), '[]'),
        'late', coalesce(json_agg(ka.acronym) FILTER (WHERE k.late), '[]'))
      FROM policies_consultation k JOIN directory_agency ka ON ka.id = k.agency_id WHERE k.proposal_id = p.id)""",
    "attachments": """coalesce((SELECT json_agg(json_build_object(
        'id', f.id, 'name', f.original_name, 'size', f.size, 'content_type', f.content_type,
        'uploaded_at', f.uploaded_at,
        'download_url', 'http://localhost/api/v1/proposals/' || p.id || '/attachments/' || f.id || '/')
        ORDER BY f.uploaded_at, f.id)
      FROM policies_proposalattachment f WHERE f.proposal_id = p.id), '[]')""",
    # The workflow table in SQL, for the role measured (the app asks policies.permissions for each row).
    "allowed_actions": """CASE p.state WHEN 'submitted' THEN '["start_review"]'::json
        WHEN 'under_review' THEN '["return", "accept"]'::json ELSE '[]'::json END""",
}
LIST_OMITS = ("body", "timeline", "consultations", "attachments")  # as policies/api/serializers/proposals.py


def json_object(names) -> str:
    return "json_build_object(" + ", ".join(f"'{name}', {FIELDS[name]}" for name in names) + ")"


PROPOSAL_JSON = json_object(FIELDS)
LIST_JSON = json_object(name for name in FIELDS if name not in LIST_OMITS)


def limit_statement(queryset, page_size: int, base_url: str, fields: str = PROPOSAL_JSON) -> tuple[str, list]:
    """One SQL statement answering the API's page: count, links and the rows, built as JSON text."""
    ids_sql, ids_params = queryset.order_by("-created_at", "-id").values("id")[:page_size].query.sql_with_params()
    count_sql, count_params = queryset.values("id").query.sql_with_params()
    sql = f"""
WITH page AS MATERIALIZED ({ids_sql}),
     total AS MATERIALIZED (SELECT count(*) AS n FROM ({count_sql}) counted),
     numbered AS (SELECT id, row_number() OVER () AS n FROM page)
SELECT json_build_object(
  'count', (SELECT n FROM total),
  'next', CASE WHEN (SELECT n FROM total) > {page_size} THEN '{base_url}&page=2' END,
  'previous', NULL,
  'results', coalesce((SELECT json_agg(row ORDER BY n) FROM (
      SELECT numbered.n, {fields} AS row
      FROM numbered JOIN policies_proposal p ON p.id = numbered.id
      JOIN directory_committee c ON c.id = p.committee_id
      JOIN directory_agency a ON a.id = p.lead_agency_id
      JOIN policies_policyarea pa ON pa.id = p.policy_area_id) rows), '[]')
)::text"""  # nosec B608  bench: SQL compiled by Django from our own querysets
    return sql, [*ids_params, *count_params]


def detail_statement(proposal_id: int) -> tuple[str, list]:
    sql = f"""
SELECT {PROPOSAL_JSON}::text
FROM policies_proposal p JOIN directory_committee c ON c.id = p.committee_id
JOIN directory_agency a ON a.id = p.lead_agency_id JOIN policies_policyarea pa ON pa.id = p.policy_area_id
WHERE p.id = %s"""  # nosec B608  bench: constant SQL
    return sql, [proposal_id]


def run_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def list_queryset(user, filters: dict, search: str):
    queryset = permissions.visible_proposals(user, Proposal.objects.filter(**filters))
    return search_proposals(queryset, search) if search else queryset


# --- rows ------------------------------------------------------------------------------------------


def api_list_rows(repeat: int) -> list[dict]:
    rows = []
    User = get_user_model()
    for username in ("secretariat", "liaison-msit"):
        client, user = client_for(username), User.objects.get(username=username)
        for label, query, filters, search, whole in LIST_CASES:
            url = f"/api/v1/proposals/?{query}"
            fields = PROPOSAL_JSON if whole else LIST_JSON
            sql, params = limit_statement(list_queryset(user, filters, search), 50, f"http://localhost{url}", fields)
            page = json.loads(get_ok(client, url).content)
            mine = json.loads(run_sql(sql, params))
            same = [r["id"] for r in page["results"]] == [r["id"] for r in mine["results"]]
            same_count = page["count"] == mine["count"]
            same_fields = bool(page["results"]) and set(page["results"][0]) == set(mine["results"][0])
            queries_1 = len(queries_of(lambda u=url: get_ok(client, u.replace("page_size=50", "page_size=1"))))
            queries_50 = len(queries_of(lambda u=url: get_ok(client, u)))
            rows.append(
                {
                    "row": "1 API list",
                    "user": username,
                    "case": label,
                    "url": url,
                    **paired(lambda u=url: get_ok(client, u), lambda s=sql, p=params: run_sql(s, p), repeat),
                    "rows": len(page["results"]),
                    "count": page["count"],
                    "same_rows": same and same_count,
                    "same_fields": same_fields,
                    "bytes_app": len(get_ok(client, url).content),
                    "bytes_limit": len(run_sql(sql, params)),
                    "queries_page_1": queries_1,
                    "queries_page_50": queries_50,
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    return rows


def fix_rows(repeat: int) -> list[dict]:
    """What each fix bought: the API list with the fix undone and with it, alternating in one loop."""
    rows = []
    for username in ("secretariat", "liaison-msit"):
        client = client_for(username)
        url = "/api/v1/proposals/?page_size=50"

        def setting(value):
            with connection.cursor() as cursor:
                cursor.execute(f"SET jit = {value}")

        def jit_on():
            setting("on")
            try:
                get_ok(client, url)
            finally:
                setting("off")

        rows.append(
            {"row": "fix", "fix": "JIT off", "user": username, **paired(jit_on, lambda: get_ok(client, url), repeat)}
        )
        print(json.dumps(rows[-1]), flush=True)
        rows.append(
            {
                "row": "fix",
                "fix": "lean list rows",
                "user": username,
                **paired(lambda: get_ok(client, url + "&expand=full"), lambda: get_ok(client, url), repeat),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
        # The index, dropped inside a transaction that is rolled back (DDL is transactional in PostgreSQL).
        with transaction.atomic():
            get_ok(client, url)
            without = []
            with connection.cursor() as cursor:
                cursor.execute("DROP INDEX proposal_newest_first")
            for _ in range(max(3, repeat // 3)):
                without.append(timed(lambda: get_ok(client, url)))
            transaction.set_rollback(True)
        with_index = [timed(lambda: get_ok(client, url)) for _ in range(max(3, repeat // 3))]
        a, b = statistics.median(without), statistics.median(with_index)
        rows.append(
            {
                "row": "fix",
                "fix": "newest-first index",
                "user": username,
                "app_ms": round(a, 1),
                "limit_ms": round(b, 1),
                "ratio": round(a / b, 2),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    rows.append(
        {"row": "fix", "fix": "portal count capped at 1,000", "user": "liaison-msit", **capped_count_paired(repeat)}
    )
    print(json.dumps(rows[-1]), flush=True)
    return rows


def capped_count_paired(repeat: int) -> dict:
    """The liaison's portal proposal list counted exactly (a cap no list reaches) and counted to the cap."""
    from policies.portal.paging import CappedCountPaginator

    client, cap = client_for("liaison-msit"), CappedCountPaginator.COUNT_CAP

    def exact():
        CappedCountPaginator.COUNT_CAP = 10**9
        try:
            get_ok(client, "/proposals/")
        finally:
            CappedCountPaginator.COUNT_CAP = cap

    return paired(exact, lambda: get_ok(client, "/proposals/"), repeat)


def detail_rows(repeat: int) -> list[dict]:
    rows = []
    client = client_for("secretariat")
    user = get_user_model().objects.get(username="secretariat")
    # The busiest file: a decided proposal with the most consultations and events among the secretariat's.
    proposal = (
        permissions.visible_proposals(user, Proposal.objects.filter(state="decided")).order_by("-created_at").first()
    )
    url = f"/api/v1/proposals/{proposal.pk}/"
    sql, params = detail_statement(proposal.pk)
    rows.append(
        {
            "row": "2 API detail",
            "user": "secretariat",
            "url": url,
            **paired(lambda: get_ok(client, url), lambda: run_sql(sql, params), repeat),
            "queries": len(queries_of(lambda: get_ok(client, url))),
        }
    )
    print(json.dumps(rows[-1]), flush=True)
    return rows


def page_rows(repeat: int) -> list[dict]:
    """Portal pages and admin changelists, each beside the API list of the same user (50 rows)."""
    rows = []
    user_pages = {
        "liaison-msit": [
            "/",
            "/proposals/",
            "PROPOSAL",
            "/actions/",
            "/actions/?whose=all&show=all",
            "/consultations/",
            "/consultations/?whose=all&show=all",
        ],
        "secretariat": [
            "/proposals/",
            "/admin/policies/proposal/",
            "/admin/policies/consultation/",
            "/admin/policies/followupaction/",
        ],
    }
    User = get_user_model()
    for username, urls in user_pages.items():
        client, user = client_for(username), User.objects.get(username=username)
        api = "/api/v1/proposals/?page_size=50"
        for url in urls:
            if url == "PROPOSAL":
                proposal = permissions.visible_proposals(user).filter(state="decided").order_by("-created_at").first()
                url = f"/proposals/{proposal.pk}/"
            sqls = queries_of(lambda u=url: get_ok(client, u))
            full_counts = [
                q for q in sqls if re.search(r"COUNT\(\*\)", q, re.I) and not re.search(r"\bWHERE\b", q, re.I)
            ]
            rows.append(
                {
                    "row": "3 pages",
                    "user": username,
                    "url": url,
                    **paired(lambda u=url: get_ok(client, u), lambda: get_ok(client, api), repeat),
                    "queries": len(sqls),
                    "count_queries": sum(1 for q in sqls if re.search(r"COUNT\(", q, re.I)),
                    "unfiltered_counts": len(full_counts),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    return rows


def reminder_rows(repeat: int) -> list[dict]:
    """The sweep on a database whose due reminders were all sent (run `send_reminders` once before, on the same
    Seoul day): each timed run must queue nothing. Then EXPLAIN ANALYZE of every SELECT it sent."""
    from policies.reminders import send_reminders

    # One untimed run first, as a worker has made before: the first reverse() in a process imports every URLconf
    # and view (about 0.5 s here), which is no part of a sweep. It too must queue nothing.
    timings, queued = [], []
    warm_up_queued = send_reminders()
    with CaptureQueriesContext(connection) as captured:
        for _ in range(max(1, repeat)):
            started = time.perf_counter()
            queued.append(send_reminders())
            timings.append((time.perf_counter() - started) * 1000)
    per_run = len(captured.captured_queries) // max(1, repeat)
    sqls = [q["sql"] for q in captured.captured_queries[:per_run]]
    plans, seq_scans = [], []
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)
            plan = "\n".join(line[0] for line in cursor.fetchall())
            plans.append({"sql": sql[:300] + (" ..." if len(sql) > 300 else ""), "plan": plan[:3000]})
            seq_scans += re.findall(r"Seq Scan on (\w+)", plan)
    row = {
        "row": "5 reminder sweep",
        "queued_per_run": queued,
        "warm_up_queued": warm_up_queued,
        "median_ms": round(statistics.median(timings), 1),
        "queries": per_run,
        "seq_scans": sorted(set(seq_scans)),
        "plans": plans,
    }
    print(json.dumps({k: v for k, v in row.items() if k != "plans"}), flush=True)
    return [row]


def digest_rows(repeat: int, batch_sizes=(100, 200), recipients: int = 0, everyone: bool = False) -> list[dict]:
    """send_digests for everyone due (or the first `recipients` of them, the others' windows moved to now),
    rolled back after each run so every run sees the same database. `everyone`: first make every reader due,
    each window one period long (a week for weekly readers), as if the whole list came due at one hour."""
    from policies.digests import PERIODS, due_preferences, send_digests
    from policies.models import DigestPreference

    rows = []
    now = timezone.now()
    for batch_size in batch_sizes:
        timings, queued, queries = [], 0, 0
        for _ in range(repeat):
            with transaction.atomic():
                if everyone:
                    for frequency, length in PERIODS.items():
                        DigestPreference.objects.filter(frequency=frequency).update(period_start=now - length)
                if recipients:
                    due_ids = list(due_preferences(now).order_by("pk").values_list("pk", flat=True))
                    DigestPreference.objects.filter(pk__in=due_ids[recipients:]).update(period_start=now)
                due = due_preferences(now).count()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    queued = send_digests(now, batch_size=batch_size)
                    timings.append(time.perf_counter() - started)
                queries = len(captured.captured_queries)
                transaction.set_rollback(True)
        batches = -(-due // batch_size)
        rows.append(
            {
                "row": "4 digests",
                "batch_size": batch_size,
                "recipients_due": due,
                "digests_queued": queued,
                "median_s": round(statistics.median(timings), 2),
                "queries": queries,
                "batches": batches,
                "queries_per_batch": round(queries / batches, 1) if batches else None,
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


def growth_probe(repeat: int) -> dict:
    """The three growth figures of one database (run in a child process per database)."""
    client = client_for("secretariat")
    liaison = client_for("liaison-msit")
    api = median_of(lambda: get_ok(client, "/api/v1/proposals/?page_size=50"), repeat)
    portal = median_of(lambda: get_ok(liaison, "/proposals/"), repeat)
    # Digests when asked for (BENCH_DIGEST_RECIPIENTS=N, bench/run takes 100): the first N readers, each with a
    # window of one period (a week for weekly readers), so both databases build the same kind of digest.
    recipients = int(os.environ.get("BENCH_DIGEST_RECIPIENTS", "0"))
    digest = digest_rows(1, batch_sizes=(100,), recipients=recipients, everyone=True)[0] if recipients else {}
    return {
        "proposals": Proposal.objects.count(),
        "api_list_ms": api,
        "portal_list_ms": portal,
        "digest_s": digest.get("median_s"),
        "digest_recipients": digest.get("recipients_due"),
    }


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(int(memory) / 1024 / 1024, 1),
        "postgres": pg,
        "python": platform.python_version(),
        "django": django.get_version(),
        "debug": django.conf.settings.DEBUG,
        "load": os.getloadavg(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--rows", default="1,fix,2,3,4,5,8", help="which rows to run")
    parser.add_argument("--small-url", default="", help="the 10,000-proposal database, for the growth row")
    parser.add_argument("--large-url", default=os.environ.get("DATABASE_URL", ""), help="for the growth row")
    parser.add_argument("--growth-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--digest-recipients", type=int, default=0, help="digests for only the first N due recipients (0: all)"
    )
    parser.add_argument(
        "--digest-everyone", action="store_true", help="make every reader due first (the whole list at one hour)"
    )
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args()
    if args.growth_probe:
        print("GROWTH " + json.dumps(growth_probe(args.repeat)))
        return
    wanted = set(args.rows.split(","))
    results = {
        "command": " ".join(sys.argv),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "proposals": Proposal.objects.count(),
        "repeat": args.repeat,
        "rows": [],
    }
    steps = [
        ("1", api_list_rows),
        ("fix", fix_rows),
        ("2", detail_rows),
        ("3", page_rows),
        ("5", reminder_rows),
        (
            "4",
            lambda repeat: digest_rows(
                max(1, repeat // 5), recipients=args.digest_recipients, everyone=args.digest_everyone
            ),
        ),
    ]
    for key, step in steps:
        if key in wanted:
            results["rows"] += step(args.repeat)
            Path(args.out).write_text(json.dumps(results, indent=1, default=str))  # what is done survives a kill
    if "8" in wanted and args.small_url:
        growth = {}
        for name, url in (("10k", args.small_url), ("100k", args.large_url)):
            env = {**os.environ, "DATABASE_URL": url}
            out = subprocess.run(  # nosec B603  bench: our own script
                [sys.executable, __file__, "--growth-probe", "--repeat", str(args.repeat)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            growth[name] = json.loads(next(line for line in out.splitlines() if line.startswith("GROWTH "))[7:])
        results["rows"].append({"row": "8 growth", **growth})
        print(json.dumps(results["rows"][-1]), flush=True)
    Path(args.out).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
