"""Bulk mode of bench/generate.py: a government-sized database in minutes, written with COPY.

The service-driven mode makes every row through policies.services and costs ~50 ms a proposal; at 100,000
proposals that is hours. This mode writes the same tables directly with PostgreSQL's COPY (psycopg 3
`cursor.copy`), after seed_demo has made the demo committee and its named people (secretariat, liaison-msit,
member-1, ...), so every benchmark can log in as a known role. What it writes is consistent with what the
services would have written:

- references `<committee>-<year>-<nnnn>` and decision numbers `<committee>-<year>-D-<nnn>` are unique and
  the reference counters are moved past them, so the services carry on numbering after them;
- each proposal's state is the `to_state` of its last transition event, its timeline is in time order, and
  `submitted_at` (first submission) comes with a reference; drafts and proposals withdrawn as drafts have none;
- consultations satisfy their checks (answered <-> answered_at and a position, ended <-> closed_at, only an
  answer is late), one per (proposal, agency), never the lead agency, open ones only on proposals still in
  review, with deadlines spread around today;
- scheduled proposals sit on planned meetings ahead, decided ones on held meetings in the past of their own
  committee, agenda positions 1..n without gaps; every decided proposal has one decision on its agenda item;
- follow-up actions are due around their decision plus 1-12 months (so around today for recent ones), with
  progress reports that never go back and a status that matches the last report;
- open consultations and unfinished actions carry their first reminder day, as the services set it
  (policies.reminders); the first reminder sweep catches up with each one's current stage;
- every person has a digest preference whose window is due, and notifications spread over five years.

Deterministic for a seed and a day (--today, default today in Seoul): the same arguments give the same rows.
At the end it moves every identity sequence past the rows written and runs ANALYZE.
"""

import datetime
import json
import random
import sys
import time
from zoneinfo import ZoneInfo

from django.db import connection

from policies.reminders import first_action_reminder, first_consultation_reminder

SEOUL = ZoneInfo("Asia/Seoul")
BASE_COMMITTEES, BASE_AGENCIES, BASE_USERS = 20, 60, 10_000
# Shares of proposal states (percent); decided is exactly a fifth, as there is one decision per decided proposal.
STATE_SHARES = {
    "draft": 15,
    "submitted": 14,
    "under_review": 16,
    "returned": 7,
    "accepted": 10,
    "scheduled": 7,
    "decided": 20,
    "withdrawn": 11,
}
TOPICS = [
    ("바이오 소재 실증", "bio-materials pilot"),
    ("유전체 데이터 공유", "genomic data sharing"),
    ("바이오 인력 양성", "bio workforce training"),
    ("감염병 진단 플랫폼", "infectious disease diagnostics"),
    ("바이오연료 원료 수급", "biofuel feedstock supply"),
    ("해양 미생물 자원화", "marine microbial resources"),
    ("스마트팜 종자", "smart-farm seeds"),
    ("바이오 규제 샌드박스", "bio regulatory sandbox"),
    ("합성생물학 기반 구축", "synthetic biology platform"),
    ("의료기기 인허가 간소화", "medical device approval"),
]
NOTIFICATION_KINDS = [
    "proposal_submitted",
    "proposal_accept",
    "proposal_schedule",
    "proposal_decide",
    "consultation_requested",
    "opinion_received",
    "agenda_published",
    "decision_recorded",
    "action_assigned",
    "progress_reported",
    "reminder_consultation",
    "reminder_action",
]


class Progress:
    """One line per table on stderr: rows written, rows per second, time so far."""

    def __init__(self, out=sys.stderr):
        self.out, self.started = out, time.perf_counter()

    def step(self, table, rows, started):
        took = time.perf_counter() - started
        rate = rows / took if took else 0
        self.out.write(
            f"\r  {table:<36} {rows:>10,} rows {took:7.1f} s {rate:>10,.0f}/s   total {self.elapsed():6.1f} s\n"
        )
        self.out.flush()

    def tick(self, table, rows):
        self.out.write(f"\r  {table:<36} {rows:>10,} rows ...   total {self.elapsed():6.1f} s")
        self.out.flush()

    def elapsed(self):
        return time.perf_counter() - self.started


class Bulk:
    def __init__(self, proposals: int, seed: int, today: datetime.date, progress: Progress):
        self.n = proposals
        self.scale = proposals / 100_000
        self.rng = random.Random(seed)
        self.seed = seed
        self.label = f"[bulk-{seed}]"
        self.today = today
        self.now = datetime.datetime.combine(today, datetime.time(12, 0), SEOUL)
        self.progress = progress
        self.raw = connection.cursor().cursor  # the psycopg 3 cursor under Django's wrapper
        self.ids = {}
        self.counts = {}

    # --- helpers -------------------------------------------------------------------------------------

    def scaled(self, full: int) -> int:
        return max(1, round(full * self.scale))

    def query(self, sql, params=None):
        self.raw.execute(sql, params)
        return self.raw.fetchall()

    def next_id(self, table) -> int:
        if table not in self.ids:
            # Bandit B608 accepted: table names are this module's own constants.
            self.ids[table] = self.query(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")[0][0]  # nosec B608
        value = self.ids[table]
        self.ids[table] += 1
        return value

    def copy(self, table, columns, rows):
        """COPY rows (an iterable of tuples) into table; returns how many."""
        started, count = time.perf_counter(), 0
        with self.raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
                if count % 100_000 == 0:
                    self.progress.tick(table, count)
        self.progress.step(table, count, started)
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    def moment(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        span = max(1, int((end - start).total_seconds()))
        return start + datetime.timedelta(seconds=self.rng.randrange(span))

    # --- the run -------------------------------------------------------------------------------------

    def run(self):
        if self.query("SELECT 1 FROM policies_proposal WHERE title LIKE %s LIMIT 1", [self.label + "%"]):
            raise SystemExit(f"{self.label} rows are already in this database: drop it and start again.")
        self.raw.execute("SET LOCAL synchronous_commit = off")
        self.directory()
        self.people()
        self.meetings()
        self.proposals()
        self.actions()
        self.notifications()
        self.finish()
        return self.counts

    def directory(self):
        """20 committees, 60 agencies: the demo's plus numbered ones; every agency belongs to NBC."""
        self.areas = [row[0] for row in self.query("SELECT id FROM policies_policyarea ORDER BY id")]
        self.nbc = self.query("SELECT id FROM directory_committee WHERE code = 'NBC'")[0][0]
        have = self.query("SELECT count(*) FROM directory_agency")[0][0]
        rows = []
        for i in range(have + 1, BASE_AGENCIES + 1):
            rows.append(
                (self.next_id("directory_agency"), f"기관 {i:02d}", f"Agency {i:02d}", f"AG{self.seed}-{i:02d}", True)
            )
        self.copy("directory_agency", ["id", "name_ko", "name_en", "acronym", "is_active"], rows)
        self.agencies = list(self.query("SELECT id, acronym FROM directory_agency ORDER BY id"))
        self.acronym = dict(self.agencies)
        have = self.query("SELECT count(*) FROM directory_committee")[0][0]
        rows = []
        for i in range(have + 1, BASE_COMMITTEES + 1):
            rows.append(
                (
                    self.next_id("directory_committee"),
                    f"바이오 분과 {i:02d}",
                    f"Bio subcommittee {i:02d}",
                    f"SC{self.seed}-{i:02d}",
                    "subcommittee",
                    "",
                    "majority",
                    None,
                    True,
                    True,
                    self.nbc,
                )
            )
        self.copy(
            "directory_committee",
            [
                "id",
                "name_ko",
                "name_en",
                "code",
                "kind",
                "description",
                "quorum_rule",
                "quorum_fixed",
                "delegates_count_for_quorum",
                "is_active",
                "parent_id",
            ],
            rows,
        )
        self.committees = self.query("SELECT id, code FROM directory_committee ORDER BY id")
        self.code = dict(self.committees)
        # Committee membership of agencies: NBC has all; each other committee 8-15 of them (plus its own).
        existing = set(self.query("SELECT committee_id, agency_id FROM directory_committee_agencies"))
        agency_ids = [a for a, _ in self.agencies]
        wanted = set(existing)
        for committee_id, _code in self.committees:
            if committee_id == self.nbc:
                wanted |= {(committee_id, a) for a in agency_ids}
            elif not any(c == committee_id for c, _ in existing):
                wanted |= {(committee_id, a) for a in self.rng.sample(agency_ids, self.rng.randint(8, 15))}
        rows = [(self.next_id("directory_committee_agencies"), c, a) for c, a in sorted(wanted - existing)]
        self.copy("directory_committee_agencies", ["id", "committee_id", "agency_id"], rows)
        self.members_of = {}
        for committee_id, agency_id in self.query("SELECT committee_id, agency_id FROM directory_committee_agencies"):
            self.members_of.setdefault(committee_id, []).append(agency_id)
        for agencies in self.members_of.values():
            agencies.sort()

    def people(self):
        """10,000 people: a secretary per new committee, ten liaisons per agency, the rest committee members."""
        have = self.query("SELECT count(*) FROM auth_user")[0][0]
        secretariat = dict(
            self.query(
                "SELECT DISTINCT ON (committee_id) committee_id, user_id FROM directory_committee_secretariat "
                "ORDER BY committee_id, user_id"
            )
        )
        users, profiles, staff, memberships, liaisons = [], [], [], [], {}
        members = {c: [] for c, _ in self.committees}
        for committee_id, user_id in self.query(
            "SELECT committee_id, user_id FROM directory_committeemembership WHERE term_end IS NULL OR term_end >= %s",
            [self.today],
        ):
            if user_id not in members[committee_id]:
                members[committee_id].append(user_id)
        for agency_id, user_id in self.query(
            "SELECT agency_id, user_id FROM directory_profile WHERE agency_id IS NOT NULL ORDER BY user_id"
        ):
            liaisons.setdefault(agency_id, []).append(user_id)
        joined = self.now - datetime.timedelta(days=5 * 365)
        plan = [("secretariat", c) for c, _ in self.committees if c not in secretariat]
        plan += [("liaison", a) for a, _ in self.agencies for _ in range(10 - len(liaisons.get(a, [])))]
        plan += [("member", None)] * max(0, BASE_USERS - have - len(plan))
        committee_ids = [c for c, _ in self.committees]
        for number, (role, whose) in enumerate(plan, start=1):
            user_id = self.next_id("auth_user")
            username = f"bulk{self.seed}-{role}-{number:05d}"
            users.append(
                (
                    user_id,
                    "!",
                    False,
                    username,
                    f"{number:05d}",
                    "Bulk",
                    f"{username}@bench.example",
                    role == "secretariat",
                    True,
                    joined,
                )
            )
            language = "en" if self.rng.random() < 0.2 else "ko"
            profiles.append(
                (self.next_id("directory_profile"), language, "", whose if role == "liaison" else None, user_id)
            )
            if role == "secretariat":
                staff.append((self.next_id("directory_committee_secretariat"), whose, user_id))
                secretariat[whose] = user_id
            elif role == "liaison":
                liaisons.setdefault(whose, []).append(user_id)
            else:
                for committee_id in self.rng.sample(committee_ids, self.rng.choice((1, 1, 1, 2))):
                    start = self.today - datetime.timedelta(days=self.rng.randrange(30, 1500))
                    memberships.append(
                        (
                            self.next_id("directory_committeemembership"),
                            "expert",
                            start,
                            None,
                            None,
                            committee_id,
                            user_id,
                        )
                    )
                    members[committee_id].append(user_id)
        self.copy(
            "auth_user",
            [
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            users,
        )
        self.copy("directory_profile", ["id", "language", "phone", "agency_id", "user_id"], profiles)
        self.copy("directory_committee_secretariat", ["id", "committee_id", "user_id"], staff)
        self.copy(
            "directory_committeemembership",
            ["id", "role", "term_start", "term_end", "agency_id", "committee_id", "user_id"],
            memberships,
        )
        self.secretariat, self.liaisons, self.members = secretariat, liaisons, members
        # Everyone hears by digest: mostly weekly, some daily, some off; windows due now.
        everyone = [row[0] for row in self.query("SELECT id FROM auth_user WHERE is_active ORDER BY id")]
        have_pref = {row[0] for row in self.query("SELECT user_id FROM policies_digestpreference")}
        prefs, pref_areas = [], []
        for user_id in everyone:
            if user_id in have_pref:
                continue
            frequency = self.rng.choices(("weekly", "daily", "off"), weights=(75, 15, 10))[0]
            days = 7 if frequency == "weekly" else 1
            start = (
                None
                if frequency == "off"
                else self.now - datetime.timedelta(days=days, hours=self.rng.randrange(1, 12))
            )
            pref_id = self.next_id("policies_digestpreference")
            prefs.append((pref_id, frequency, start, user_id))
            if self.rng.random() < 0.3:
                for area in self.rng.sample(self.areas, self.rng.randint(1, 2)):
                    pref_areas.append((self.next_id("policies_digestpreference_areas"), pref_id, area))
        self.copy("policies_digestpreference", ["id", "frequency", "period_start", "user_id"], prefs)
        self.copy("policies_digestpreference_areas", ["id", "digestpreference_id", "policyarea_id"], pref_areas)
        self.everyone = everyone

    def meetings(self):
        """2,000 meetings: three in four held in the past five years, the rest planned in the next three months."""
        # Every fourth round is planned: at least four rounds, so each committee has a meeting ahead at any scale.
        count = max(4 * len(self.committees), self.scaled(2_000))
        rows, self.past, self.future = [], {}, {}
        committee_ids = [c for c, _ in self.committees]
        for i in range(count):
            committee_id = committee_ids[i % len(committee_ids)]
            held = (i // len(committee_ids)) % 4 != 3
            if held:
                starts = self.moment(
                    self.now - datetime.timedelta(days=5 * 365 - 200), self.now - datetime.timedelta(days=1)
                )
                published = starts - datetime.timedelta(days=7)
                status = "held"
            else:
                starts = self.moment(self.now + datetime.timedelta(days=3), self.now + datetime.timedelta(days=90))
                published = (
                    starts - datetime.timedelta(days=7) if starts - self.now < datetime.timedelta(days=7) else None
                )
                status = "agenda_published" if published else "planned"
            starts = starts.replace(minute=0, second=0)
            meeting_id = self.next_id("policies_meeting")
            cutoff = starts - datetime.timedelta(days=14)
            rows.append(
                (
                    meeting_id,
                    f"{self.label} meeting {i + 1}",
                    "subcommittee" if committee_id != self.nbc else "plenary",
                    starts,
                    starts + datetime.timedelta(hours=2),
                    "Government Complex Sejong",
                    "",
                    cutoff,
                    status,
                    published,
                    0,
                    starts - datetime.timedelta(days=30),
                    starts,
                    committee_id,
                    "ko",
                )
            )
            (self.past if held else self.future).setdefault(committee_id, []).append((meeting_id, starts))
        self.copy(
            "policies_meeting",
            [
                "id",
                "title",
                "kind",
                "starts_at",
                "ends_at",
                "location",
                "online_link",
                "submission_cutoff",
                "status",
                "agenda_published_at",
                "invitation_sequence",
                "created_at",
                "updated_at",
                "committee_id",
                "language",
            ],
            rows,
        )
        # Attendance of held meetings: 40 of the committee's members each (all of them if fewer).
        rows = []
        for committee_id, meetings in self.past.items():
            pool = self.members[committee_id]
            for meeting_id, _starts in meetings:
                for member in self.rng.sample(pool, min(40, len(pool))):
                    status = self.rng.choices(("present", "absent", "represented"), weights=(80, 15, 5))[0]
                    delegate = "대리인" if status == "represented" else ""
                    rows.append((self.next_id("policies_attendance"), status, delegate, member, meeting_id))
        self.copy("policies_attendance", ["id", "status", "delegate_name", "member_id", "meeting_id"], rows)

    def proposals(self):
        """Proposals with their timelines, consultations, agenda items and decisions."""
        rng, now = self.rng, self.now
        states = [state for state, share in STATE_SHARES.items() for _ in range(round(self.n * share / 100))]
        states = (states + ["draft"] * self.n)[: self.n]
        rng.shuffle(states)
        committee_ids = [c for c, _ in self.committees]
        # NBC carries a third of the proposals; the subcommittees share the rest.
        weights = [30 if c == self.nbc else 70 / (len(committee_ids) - 1) for c in committee_ids]
        counters = {}
        for committee_id, year, series, last in self.query(
            "SELECT committee_id, year, series, last_number FROM policies_referencecounter"
        ):
            counters[(committee_id, year, series)] = last
        agenda = {}  # meeting id -> [proposal ids in order]
        consultations_left = self.scaled(30_000)
        reviewed_states = {"under_review", "accepted", "scheduled", "decided"}
        reviewed_total = sum(1 for s in states if s in reviewed_states) or 1
        per_reviewed = consultations_left / reviewed_total
        proposal_rows, events, consultations, co_sponsors, secondary = [], [], [], [], []
        decisions_input = []
        for index, state in enumerate(states):
            committee_id = rng.choices(committee_ids, weights=weights)[0]
            agencies = self.members_of[committee_id]
            lead = rng.choice(agencies)
            liaison = rng.choice(self.liaisons[lead])
            staff = self.secretariat[committee_id]
            meeting = None
            if state == "decided":
                meeting = rng.choice(self.past[committee_id])
                created = meeting[1] - datetime.timedelta(days=rng.randint(40, 200), hours=rng.randrange(24))
            elif state == "scheduled":
                meeting = rng.choice(self.future[committee_id])
                created = now - datetime.timedelta(days=rng.randint(30, 200), hours=rng.randrange(24))
            elif state in ("draft", "submitted", "under_review", "returned", "accepted"):
                created = now - datetime.timedelta(days=rng.randint(2, 365), seconds=rng.randrange(86_400))
            else:  # withdrawn, any time in five years
                created = now - datetime.timedelta(days=rng.randint(30, 5 * 365), seconds=rng.randrange(86_400))
            proposal_id = self.next_id("policies_proposal")
            korean, english = rng.choice(TOPICS)
            # The timeline: (action, from, to, actor, comment, details); timestamps added after.
            steps = [("create", "", "draft", liaison, "", {})]
            for _ in range(rng.randint(2, 9)):  # revisions while drafting: ~10 events a proposal in all
                steps.append(("edit", "", "", liaison, "", {}))
            consulted = []
            if state == "withdrawn" and rng.random() < 0.4:
                steps.append(("withdraw", "draft", "withdrawn", liaison, "Withdrawn before submission.", {}))
            elif state != "draft":
                steps.append(("submit", "draft", "submitted", liaison, "", {}))
                if state == "returned" or (state not in ("submitted",) and rng.random() < 0.15):
                    steps.append(("start_review", "submitted", "under_review", staff, "", {}))
                    steps.append(("return", "under_review", "returned", staff, "Please add the budget basis.", {}))
                    if state != "returned":
                        steps.append(("edit", "", "", liaison, "", {}))
                        steps.append(("submit", "returned", "submitted", liaison, "", {}))
                if state in ("under_review", "accepted", "scheduled", "decided") or (
                    state == "withdrawn" and rng.random() < 0.5
                ):
                    steps.append(("start_review", "submitted", "under_review", staff, "", {}))
                    if consultations_left > 0 and rng.random() < min(1.0, per_reviewed / 1.7):
                        others = [a for a in agencies if a != lead]
                        consulted = rng.sample(others, min(len(others), rng.randint(1, 3)))
                        consultations_left -= len(consulted)
                        steps.append(("consult", "", "", staff, "", {"agencies": [self.acronym[a] for a in consulted]}))
                    if state in ("accepted", "scheduled", "decided"):
                        steps.append(("accept", "under_review", "accepted", staff, "", {}))
                    if state in ("scheduled", "decided"):
                        steps.append(("schedule", "accepted", "scheduled", staff, "", {}))
                    if state == "decided":
                        steps.append(("decide", "scheduled", "decided", staff, "", {}))
                    if state == "withdrawn":
                        steps.append(("withdraw", "under_review", "withdrawn", liaison, "No longer pursued.", {}))
                elif state == "withdrawn":
                    steps.append(("withdraw", "submitted", "withdrawn", liaison, "No longer pursued.", {}))
            # Timestamps: spread between creation and the end of the story.
            if meeting is not None and state == "decided":
                end = meeting[1] + datetime.timedelta(hours=1)
            elif state == "scheduled":
                end = now - datetime.timedelta(hours=rng.randint(1, 24 * 20))
            else:
                end = min(now - datetime.timedelta(minutes=5), created + datetime.timedelta(days=rng.randint(1, 120)))
            end = max(end, created + datetime.timedelta(minutes=len(steps) + 2))
            span = (end - created).total_seconds()
            offsets = sorted(rng.random() * span for _ in range(len(steps) - 1))
            times = [created] + [created + datetime.timedelta(seconds=o) for o in offsets]
            if state == "decided":
                times[-1] = end  # the decision at its meeting
            submitted_at = next((t for (a, *_r), t in zip(steps, times, strict=True) if a == "submit"), None)
            reference = None
            if submitted_at is not None:
                year = submitted_at.astimezone(SEOUL).year
                key = (committee_id, year, "proposal")
                counters[key] = counters.get(key, 0) + 1
                reference = f"{self.code[committee_id]}-{year}-{counters[key]:04d}"
            # Consultations: opinions come in between the request and the end of the story.
            consult_at = next((t for (a, *_r), t in zip(steps, times, strict=True) if a == "consult"), None)
            opinion_events = []
            if consulted:
                requested_at = consult_at
                if state == "under_review":
                    # Still in review: deadlines spread around today.
                    deadline = self.today + datetime.timedelta(days=rng.randint(-10, 20))
                else:
                    deadline = (requested_at + datetime.timedelta(days=14)).astimezone(SEOUL).date()
                next(s for s in steps if s[0] == "consult")[5]["deadline"] = deadline.isoformat()
            for agency_id in consulted:
                answered = rng.random() < (0.4 if state == "under_review" else 0.8)
                status, position, answered_at, answered_by, late, closed_at, opinion = (
                    "open",
                    "",
                    None,
                    None,
                    False,
                    None,
                    "",
                )
                if answered:
                    answered_at = self.moment(
                        requested_at, max(requested_at + datetime.timedelta(minutes=1), min(end, now))
                    )
                    status, position = "answered", rng.choice(("concur", "concur", "concur_with_conditions", "object"))
                    answered_by = rng.choice(self.liaisons[agency_id])
                    late = answered_at.astimezone(SEOUL).date() > deadline
                    opinion = (
                        "이견 없습니다. No objection." if position == "concur" else "조건부 동의합니다. See conditions."
                    )
                    opinion_events.append(
                        (
                            answered_at,
                            (
                                "opinion",
                                "",
                                "",
                                answered_by,
                                "",
                                {"agency": self.acronym[agency_id], "position": position},
                            ),
                        )
                    )
                elif state not in ("under_review",):
                    status, closed_at = "closed", end
                consultations.append(
                    (
                        self.next_id("policies_consultation"),
                        "의견을 주십시오. Your opinion, please.",
                        deadline,
                        requested_at,
                        position,
                        opinion,
                        answered_at,
                        None,
                        agency_id,
                        answered_by,
                        staff,
                        proposal_id,
                        closed_at,
                        late,
                        status,
                        first_consultation_reminder(deadline) if status == "open" else None,
                    )
                )
            timeline = sorted(list(zip(times, steps, strict=True)) + opinion_events, key=lambda pair: pair[0])
            for at, (action, from_state, to_state, actor, comment, details) in timeline:
                if action == "decide":
                    continue  # written with its decision number below
                events.append(
                    (
                        self.next_id("policies_proposalevent"),
                        action,
                        from_state,
                        to_state,
                        comment,
                        at,
                        actor,
                        proposal_id,
                        json.dumps(details),
                    )
                )
            if state == "decided":
                decisions_input.append((proposal_id, committee_id, meeting, staff, end))
            if meeting is not None:
                agenda.setdefault(meeting[0], []).append((proposal_id, lead))
            updated = timeline[-1][0]
            proposal_rows.append(
                (
                    proposal_id,
                    reference,
                    f"{self.label} {index + 1:06d} {korean} ({english})",
                    f"{korean} 추진 방안입니다. A plan for {english}.",
                    "",
                    "추진 방안(안) 의결 (Adopt the plan.)",
                    rng.randrange(1, 500) * 100_000_000,
                    state,
                    1 + sum(1 for s in steps if s[2]),
                    submitted_at,
                    created,
                    updated,
                    committee_id,
                    liaison,
                    lead,
                    rng.choice(self.areas),
                    liaison if submitted_at else None,
                )
            )
            if rng.random() < 0.2:
                for agency_id in rng.sample([a for a in agencies if a != lead], min(2, len(agencies) - 1)):
                    co_sponsors.append((self.next_id("policies_proposal_co_sponsors"), proposal_id, agency_id))
            if rng.random() < 0.3:
                main = proposal_rows[-1][15]
                extra = rng.choice([a for a in self.areas if a != main])
                secondary.append((self.next_id("policies_proposal_secondary_areas"), proposal_id, extra))
            if (index + 1) % 20_000 == 0:
                self.progress.tick("(building proposals)", index + 1)
        self.copy(
            "policies_proposal",
            [
                "id",
                "reference",
                "title",
                "summary",
                "body",
                "requested_decision",
                "estimated_budget_krw",
                "state",
                "version",
                "submitted_at",
                "created_at",
                "updated_at",
                "committee_id",
                "created_by_id",
                "lead_agency_id",
                "policy_area_id",
                "submitted_by_id",
            ],
            proposal_rows,
        )
        self.copy("policies_proposal_co_sponsors", ["id", "proposal_id", "agency_id"], co_sponsors)
        self.copy("policies_proposal_secondary_areas", ["id", "proposal_id", "policyarea_id"], secondary)
        self.copy(
            "policies_consultation",
            [
                "id",
                "question",
                "deadline",
                "requested_at",
                "position",
                "opinion",
                "answered_at",
                "revised_at",
                "agency_id",
                "answered_by_id",
                "requested_by_id",
                "proposal_id",
                "closed_at",
                "late",
                "status",
                "next_reminder_on",
            ],
            consultations,
        )
        # Agenda items: positions 1..n in order of the proposals' arrival, then a report at the end of some.
        items, item_of = [], {}
        for meeting_id in sorted(agenda):
            position = 0
            for position, (proposal_id, lead) in enumerate(agenda[meeting_id], start=1):
                item_id = self.next_id("policies_agendaitem")
                item_of[proposal_id] = item_id
                items.append((item_id, position, "proposal", "", "", lead, meeting_id, proposal_id))
            if self.rng.random() < 0.5:
                items.append(
                    (
                        self.next_id("policies_agendaitem"),
                        position + 1,
                        "report",
                        "추진 현황 보고 (Progress report)",
                        "",
                        None,
                        meeting_id,
                        None,
                    )
                )
        self.copy(
            "policies_agendaitem",
            ["id", "position", "kind", "title", "notes", "presenter_id", "meeting_id", "proposal_id"],
            items,
        )
        # Decisions, numbered per committee and year in order of decision, and their timeline step.
        decisions, decision_events = [], []
        self.decisions = []
        for proposal_id, committee_id, _meeting, staff, decided_at in sorted(
            decisions_input, key=lambda d: (d[4], d[0])
        ):
            year = decided_at.astimezone(SEOUL).year
            key = (committee_id, year, "decision")
            counters[key] = counters.get(key, 0) + 1
            number = f"{self.code[committee_id]}-{year}-D-{counters[key]:03d}"
            outcome = rng.choices(("adopted", "adopted_with_amendments", "rejected"), weights=(70, 20, 10))[0]
            public = rng.random() < 0.5
            decision_id = self.next_id("policies_decision")
            decisions.append(
                (
                    decision_id,
                    number,
                    outcome,
                    "원안대로 의결함. Adopted as proposed.",
                    rng.randint(8, 15),
                    rng.randint(0, 3),
                    rng.randint(0, 2),
                    decided_at,
                    decided_at,
                    item_of[proposal_id],
                    staff,
                    "",
                    decided_at + datetime.timedelta(days=14) if public else None,
                    staff if public else None,
                    "공개 요약입니다. Public summary." if public else "",
                )
            )
            decision_events.append(
                (
                    self.next_id("policies_proposalevent"),
                    "decide",
                    "scheduled",
                    "decided",
                    "",
                    decided_at,
                    staff,
                    proposal_id,
                    json.dumps({"decision": number, "outcome": outcome}),
                )
            )
            self.decisions.append((decision_id, committee_id, staff, decided_at, outcome))
        self.copy(
            "policies_proposalevent",
            ["id", "action", "from_state", "to_state", "comment", "created_at", "actor_id", "proposal_id", "details"],
            events + decision_events,
        )
        self.copy(
            "policies_decision",
            [
                "id",
                "number",
                "outcome",
                "resolution",
                "votes_for",
                "votes_against",
                "abstentions",
                "decided_at",
                "created_at",
                "agenda_item_id",
                "recorded_by_id",
                "outcome_basis",
                "made_public_at",
                "made_public_by_id",
                "public_summary",
            ],
            decisions,
        )
        # Move the counters past what was numbered here, so the services go on from there.
        self.raw.executemany(
            "INSERT INTO policies_referencecounter (committee_id, year, series, last_number) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (committee_id, year, series) DO UPDATE SET last_number = EXCLUDED.last_number",
            [(c, y, s, n) for (c, y, s), n in sorted(counters.items())],
        )

    def actions(self):
        """200,000 follow-up actions (ten a decision on average) with progress reports that only go forward."""
        rng = self.rng
        total = self.scaled(200_000)
        adopted = [d for d in self.decisions if d[4] != "rejected"] or self.decisions
        per = total / len(adopted)
        actions, reports = [], []
        made = 0
        for index, (decision_id, committee_id, staff, decided_at, _outcome) in enumerate(adopted):
            want = round(per * (index + 1)) - made
            agencies = self.members_of[committee_id]
            for k in range(want):
                made += 1
                agency_id = rng.choice(agencies)
                due = (decided_at + datetime.timedelta(days=rng.randint(30, 365))).astimezone(SEOUL).date()
                overdue_days = (self.today - due).days
                # Old actions are mostly done and verified; recent ones are open or in progress.
                if overdue_days > 60:
                    status = rng.choices(("done", "in_progress", "open"), weights=(95, 3, 2))[0]
                elif overdue_days > 0:
                    status = rng.choices(("done", "in_progress", "open"), weights=(60, 30, 10))[0]
                else:
                    status = rng.choices(("done", "in_progress", "open"), weights=(15, 55, 30))[0]
                action_id = self.next_id("policies_followupaction")
                liaison = rng.choice(self.liaisons[agency_id])
                latest = min(self.now - datetime.timedelta(hours=1), decided_at + datetime.timedelta(days=400))
                percent, done_at, verified_at, verified_by = 0, None, None, None
                if status != "open":
                    steps = 1 if status == "in_progress" else rng.randint(1, 2)
                    when = decided_at
                    for step in range(steps):
                        when = self.moment(
                            when + datetime.timedelta(hours=1), max(when + datetime.timedelta(hours=2), latest)
                        )
                        last = step == steps - 1
                        percent = 100 if (status == "done" and last) else min(90, percent + rng.randint(10, 50))
                        reports.append(
                            (
                                self.next_id("policies_progressreport"),
                                "추진 중입니다. Under way." if percent < 100 else "완료했습니다. Done.",
                                percent,
                                when.astimezone(SEOUL).date(),
                                status == "done" and last,
                                when,
                                action_id,
                                liaison,
                            )
                        )
                    if status == "done":
                        done_at = when
                        if rng.random() < 0.8:
                            verified_at, verified_by = when + datetime.timedelta(days=3), staff
                actions.append(
                    (
                        action_id,
                        f"후속 조치 {k + 1} (Follow-up {k + 1})",
                        "",
                        due,
                        status,
                        percent,
                        done_at,
                        verified_at,
                        decided_at,
                        agency_id,
                        staff,
                        decision_id,
                        verified_by,
                        first_action_reminder(due) if status != "done" else None,
                    )
                )
        self.copy(
            "policies_followupaction",
            [
                "id",
                "title",
                "description",
                "due_date",
                "status",
                "percent_complete",
                "done_reported_at",
                "verified_at",
                "created_at",
                "agency_id",
                "assigned_by_id",
                "decision_id",
                "verified_by_id",
                "next_reminder_on",
            ],
            actions,
        )
        self.copy(
            "policies_progressreport",
            [
                "id",
                "text",
                "percent_complete",
                "reported_on",
                "reports_done",
                "created_at",
                "action_id",
                "reported_by_id",
            ],
            reports,
        )

    def notifications(self):
        """1,000,000 notifications over five years, read except the last weeks' (the unread badge stays small)."""
        rng = self.rng
        total = self.scaled(1_000_000)
        committee_ids = [c for c, _ in self.committees]
        start = self.now - datetime.timedelta(days=5 * 365)
        span = int((self.now - start).total_seconds())
        people = self.everyone
        self.next_id("outbox_notification")  # read the first free id now: no query may run inside the COPY
        self.ids["outbox_notification"] -= 1

        def rows():
            for i in range(total):
                kind = NOTIFICATION_KINDS[i % len(NOTIFICATION_KINDS)]
                created = start + datetime.timedelta(seconds=rng.randrange(span))
                unread = (self.now - created).days < 21 and rng.random() < 0.5
                subject = f"[NBC] {kind.replace('_', ' ')} #{i + 1}"
                yield (
                    self.next_id("outbox_notification"),
                    kind,
                    subject,
                    subject + "\n\nSee the portal.",
                    "",
                    "/proposals/",
                    f"bulk:{self.seed}:{i + 1}",
                    created,
                    None if unread else created + datetime.timedelta(hours=3),
                    people[rng.randrange(len(people))],
                    committee_ids[i % len(committee_ids)],
                    "{}",
                )

        self.copy(
            "outbox_notification",
            [
                "id",
                "kind",
                "subject",
                "body_text",
                "body_html",
                "url",
                "dedup_key",
                "created_at",
                "read_at",
                "recipient_id",
                "committee_id",
                "texts",
            ],
            rows(),
        )

    def finish(self):
        """Move each identity past the rows written."""
        for table in sorted(self.ids):
            self.raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # nosec B608  bench: our own table names
            )


def generate_bulk(proposals: int, seed: int, today: datetime.date, out=sys.stdout) -> dict:
    from django.db import transaction

    progress = Progress()
    started = time.perf_counter()
    with transaction.atomic():
        counts = Bulk(proposals, seed, today, progress).run()
    written = time.perf_counter() - started
    analyze_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyzed = time.perf_counter() - analyze_started
    result = {
        "proposals": proposals,
        "seed": seed,
        "today": today.isoformat(),
        "rows": sum(counts.values()),
        "write_seconds": round(written, 1),
        "analyze_seconds": round(analyzed, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "tables": counts,
    }
    out.write(json.dumps(result) + "\n")
    return result
