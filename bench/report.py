"""Turn bench/results.json (written by bench/run.py) into the Markdown table of bench/RESULTS.md."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def verdict(ok) -> str:
    return "met" if ok else "**missed**"


def runs_label(runs: int) -> str:
    return f"median of {runs} runs" if runs > 1 else "one timed run"


def table(header, rows) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def main(paths):
    runs = [json.loads(Path(path).read_text()) for path in paths]
    results = runs[0]
    # A row measured again on the same database in a later file replaces the earlier file's figures of that row
    # (rows re-run after a fix); the same row on another database (digests at 10,000 and 100,000) stands beside it.
    newest = {(row["row"], run["proposals"]): index for index, run in enumerate(runs) for row in run["rows"]}
    rows = [
        {**row, "database_proposals": run["proposals"]}
        for index, run in enumerate(runs)
        for row in run["rows"]
        if newest[(row["row"], run["proposals"])] == index
    ]
    m = results["machine"]
    commands = "; then ".join(f"`{run['command']}` ({run['date']})" for run in runs)
    out = [
        "# Scale benchmarks: results",
        "",
        f"- Commands (`bench/run.py` in the environment `bench/run` sets: DEBUG off): {commands}",
        f"- Date: {results['date']}; database: {results['proposals']:,} proposals (`generate.py --bulk --seed 1`)",
        f"- Machine: {m['nproc']} cores, {m['ram_gb']} GB RAM, PostgreSQL {m['postgres']}, Python {m['python']}, "
        f"Django {m['django']}, DEBUG={m['debug']}",
        f"- **The machine was not idle**: load average {', '.join(f'{x:.1f}' for x in m['load'])} on 2 cores when "
        "the first run started (what else ran: the caveats at the end). Absolute times are inflated and noisy; "
        "each ratio compares two things measured alternately in the same loop, so the noise falls on both.",
        f"- Medians of {results['repeat']} runs per figure (digests: fewer, see the row) after one warm-up. "
        "Requests go through Django's test client in the benchmark process (no network, no web server).",
        "",
    ]
    generated = HERE / "generated.json"
    if generated.exists():
        g = json.loads(generated.read_text())
        out += [
            "## The database",
            "",
            f"`generate.py --bulk --proposals {g['proposals']:,} --seed {g['seed']}` wrote {g['rows']:,} rows in "
            f"{g['write_seconds']} s (COPY, constraints checked at commit) plus {g['analyze_seconds']} s of "
            f"ANALYZE: **{g['total_seconds']} s in all** (target under 600 s), on the shared machine.",
            "",
            "Rows written by the bulk mode (seed_demo's committee, agencies and people come on top):",
            "",
            *table(["table", "rows"], [(name, f"{count:,}") for name, count in g["tables"].items()]),
        ]

    api = [r for r in rows if r["row"] == "1 API list"]
    if api:
        out += [
            "## 1. API proposal list, 50 rows, against one SQL statement building the same page",
            "",
            "The limit is one statement: the same restricted queryset (compiled by Django, so the same rows "
            "in the same order), the count, and every field of the row built with `json_build_object` "
            "(`bench/run.py`, `FIELDS`), read as text over the same connection. Target: at most 2x.",
            "",
            *table(
                [
                    "user",
                    "case",
                    "app ms",
                    "limit ms",
                    "ratio",
                    "target",
                    "queries (page 1 / 50)",
                    "same rows & count",
                    "same fields",
                    "bytes app / limit",
                ],
                [
                    (
                        r["user"],
                        r["case"],
                        r["app_ms"],
                        r["limit_ms"],
                        f"{r['ratio']}x",
                        verdict(r["ratio"] <= 2),
                        f"{r['queries_page_1']} / {r['queries_page_50']}",
                        r["same_rows"],
                        r["same_fields"],
                        f"{r['bytes_app']:,} / {r['bytes_limit']:,}",
                    )
                    for r in api
                ],
            ),
        ]
    fixes = [r for r in rows if r["row"] == "fix"]
    if fixes:
        out += [
            "## What each fix bought",
            "",
            "The API list (`?page_size=50`) with the fix undone and with it, alternating in the same loop (the index "
            "is dropped inside a transaction that is rolled back).",
            "",
            *table(
                ["fix", "user", "without the fix, ms", "with it, ms", "bought"],
                [(r["fix"], r["user"], r["app_ms"], r["limit_ms"], f"{r['ratio']}x faster") for r in fixes],
            ),
        ]
    detail = [r for r in rows if r["row"] == "2 API detail"]
    if detail:
        out += [
            "## 2. Proposal detail against its own limit",
            "",
            *table(
                ["url", "app ms", "limit ms", "ratio", "target", "queries"],
                [
                    (r["url"], r["app_ms"], r["limit_ms"], f"{r['ratio']}x", verdict(r["ratio"] <= 2), r["queries"])
                    for r in detail
                ],
            ),
        ]
    pages = [r for r in rows if r["row"] == "3 pages"]
    if pages:
        out += [
            "## 3. Portal pages and admin changelists against the API list of the same user",
            "",
            '"API ms" is the same user\'s API list of 50 rows, measured alternately with the page. '
            '"unfiltered COUNT" counts `COUNT(*)` statements without a WHERE clause (a whole-table count).',
            "",
            *table(
                [
                    "user",
                    "page",
                    "page ms",
                    "API ms",
                    "ratio",
                    "target 3x",
                    "queries",
                    "COUNT statements",
                    "unfiltered COUNT",
                ],
                [
                    (
                        r["user"],
                        f"`{r['url']}`",
                        r["app_ms"],
                        r["limit_ms"],
                        f"{r['ratio']}x",
                        verdict(r["ratio"] <= 3),
                        r["queries"],
                        r["count_queries"],
                        r["unfiltered_counts"],
                    )
                    for r in pages
                ],
            ),
        ]
    digests = [r for r in rows if r["row"] == "4 digests"]
    if digests:
        out += [
            "## 4. Digests",
            "",
            "`send_digests` for the recipients shown, rolled back after each run so every run builds the same "
            "digests. With `--digest-everyone` (`bench/run`) every reader is made due first, each window one period "
            "long (a week for weekly readers): the whole list at one hour. Target: 10,000 "
            'recipients in under 10 s, queries per batch constant; "10,000 extrapolated" is the measured time '
            "per recipient times 10,000, a linear extrapolation, not a measurement.",
            "",
            *table(
                [
                    "database (proposals)",
                    "batch size",
                    "recipients due",
                    "digests written",
                    "s (one run each)",
                    "10,000 extrapolated, s",
                    "target",
                    "queries",
                    "batches",
                    "queries per batch",
                ],
                [
                    (
                        f"{r['database_proposals']:,}",
                        r["batch_size"],
                        f"{r['recipients_due']:,}",
                        f"{r['digests_queued']:,}",
                        r["median_s"],
                        round(r["median_s"] / r["recipients_due"] * 10_000),
                        verdict(r["median_s"] / r["recipients_due"] * 10_000 < 10),
                        r["queries"],
                        r["batches"],
                        r["queries_per_batch"],
                    )
                    for r in digests
                ],
            ),
        ]
    reminders = [r for r in rows if r["row"] == "5 reminder sweep"]
    for r in reminders:
        out += [
            "## 5. Reminder sweep with nothing new to send",
            "",
            f"Every due reminder was sent before (see the notes below for that first sweep); the timed sweeps "
            f"queued {r['queued_per_run']}. **{r['median_ms']:,} ms** "
            f"({runs_label(len(r['queued_per_run']))}) "
            f"({verdict(r['median_ms'] < 100)}; target under 100 ms), {r['queries']} queries per sweep; "
            f"sequential scans in its plans: {', '.join(r['seq_scans']) or 'none'}.",
            "",
            "<details><summary>EXPLAIN ANALYZE of each SELECT of the sweep</summary>",
            "",
        ]
        for plan in r["plans"]:
            out += ["```sql", plan["sql"], "```", "```", plan["plan"], "```", ""]
        out += ["</details>", ""]
    growth = [r for r in rows if r["row"] == "8 growth"]
    for r in growth:
        small, large = r["10k"], r["100k"]
        out += [
            "## 8. Growth: 10,000 against 100,000 proposals",
            "",
            "Each database measured in its own process, one after the other (not interleaved: read the ratio "
            "with the noise in mind).",
            "",
            *table(
                [
                    "figure",
                    f"{small['proposals']:,} proposals",
                    f"{large['proposals']:,} proposals",
                    "growth",
                    "target",
                ],
                [
                    (
                        "API list, secretariat, ms",
                        small["api_list_ms"],
                        large["api_list_ms"],
                        f"{large['api_list_ms'] / small['api_list_ms']:.2f}x",
                        "flat",
                    ),
                    (
                        "portal list, liaison, ms",
                        small["portal_list_ms"],
                        large["portal_list_ms"],
                        f"{large['portal_list_ms'] / small['portal_list_ms']:.2f}x",
                        "flat",
                    ),
                ]
                + (
                    [
                        (
                            f"weekly digests of {large['digest_recipients']} readers, s",
                            small["digest_s"],
                            large["digest_s"],
                            f"{large['digest_s'] / small['digest_s']:.2f}x",
                            "linear in what is new",
                        )
                    ]
                    if small.get("digest_s") and large.get("digest_s")
                    else []
                ),
            ),
        ]
    out += ["## 6. Commit to SMTP acceptance", ""]
    smtp = [r for r in rows if r["row"] == "6 commit to SMTP"]
    if not smtp:
        out += ["Not measured in this session (see the notes below).", ""]
    for r in smtp:
        out += [
            f"`bench/smtp.py`: {r['events']} events (`{r['event']}`), {r['pace']} ({r['events_per_second']} a "
            f"second), on a database of {r['database_proposals']:,} proposals, after {r['warm_up']} untimed ones. A "
            f"real Celery worker ({r['pool']}, concurrency {r['concurrency']}) on Redis sends to an SMTP server "
            "(aiosmtpd) in a thread of the benchmark on loopback; each email's time runs from the commit of its "
            "event (an on_commit hook) to the server's answer to its DATA. Emails matched to events by recipient and "
            "subject. Target: p95 under 250 ms, none missing.",
            "",
            *table(
                [
                    "emails",
                    "delivered",
                    f"missing after {r['timeout_s']:g} s",
                    "sent twice",
                    "p50 ms",
                    "p95 ms",
                    "max ms",
                    "target",
                ],
                [
                    (
                        r["emails"],
                        r["delivered"],
                        r["missing"],
                        r["duplicates"],
                        r["p50_ms"],
                        r["p95_ms"],
                        r["max_ms"],
                        verdict(r["p95_ms"] is not None and r["p95_ms"] < 250 and not r["missing"]),
                    )
                ],
            ),
            "Where the time goes: each email's time cut where the benchmark's publish ended and where the worker "
            "claimed its row (`claimed_at`).",
            "",
            *table(
                ["stage", "p50 ms", "p95 ms", "max ms"],
                [(stage, s["p50_ms"], s["p95_ms"], s["max_ms"]) for stage, s in r["stages"].items()],
            ),
        ]
    load = HERE / "load.json"
    if load.exists():
        data = json.loads(load.read_text())
        by = {(r["endpoint"], r["connections"]): r for r in data["runs"]}
        levels = sorted({r["connections"] for r in data["runs"]})
        names = sorted({r["endpoint"] for r in data["runs"]})
        api_name = next(n for n in names if n.startswith("API"))
        plain_name = next(n for n in names if not n.startswith("API"))
        out += [
            "## 7. HTTP under load: gunicorn, 2 gthread workers (4 threads each), wrk for 30 s per cell",
            "",
            "`bench/load.py`; the no-database endpoint is the anonymous sign-in form (`GET /login/`), the "
            "authenticated one the liaison's API list of 50 rows with a session cookie. Target: the list reaches "
            "40% of the no-database throughput, 0 errors and 0 5xx at 100 connections.",
            "",
            *table(
                [
                    "connections",
                    "endpoint",
                    "requests/s",
                    "p99 ms",
                    "socket errors (incl. timeouts)",
                    "non-2xx/3xx",
                    "list / no-DB throughput",
                ],
                [
                    (
                        c,
                        name,
                        by[(name, c)]["rps"],
                        by[(name, c)]["p99_ms"],
                        by[(name, c)]["socket_errors"],
                        by[(name, c)]["non_2xx_3xx"],
                        f"{by[(api_name, c)]['rps'] / by[(plain_name, c)]['rps']:.0%}" if name == api_name else "",
                    )
                    for c in levels
                    for name in (plain_name, api_name)
                ],
            ),
            "Peak resident memory per gunicorn process (sampled after each cell): "
            + ", ".join(f"pid {pid}: {mb} MB" for pid, mb in data["peak_rss_mb"].items())
            + " (the first is the master).",
            "",
        ]
    notes = HERE / "RESULTS-notes.md"
    if notes.exists():
        out += [notes.read_text()]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:] or [HERE / "results.json"])
