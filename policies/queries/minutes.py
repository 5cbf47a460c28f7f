"""Reads about minutes: the minutes as drafted from a meeting's data, and that content put into words.

`draft_content` is what finalising freezes into a `MinutesVersion`: codes and values (attendance statuses,
outcomes, both spellings of each name), never words in one reader's language; `readable` puts them into the
active language when a page, the API or the PDF shows them.
"""

from committee.directory.names import display_name
from policies.models import AgendaItem, Attendance, Decision, Meeting, Minutes, MinutesItem

from .meetings import attendance_replies, quorum_status

NOT_RECORDED = "not_recorded"


def _attendance(meeting: Meeting) -> list[dict]:
    """Every member on the meeting day with what was recorded for them (present, represented, absent, or none)."""
    recorded = {row.member_id: row for row in meeting.attendances.all()}
    rows = []
    for row in attendance_replies(meeting):
        attendance = recorded.get(row.member.pk)
        rows.append(
            {
                "member_id": row.member.pk,
                "name_ko": display_name(row.member, "ko"),
                "name_en": display_name(row.member, "en"),
                "status": attendance.status if attendance else NOT_RECORDED,
                "delegate": attendance.delegate_name if attendance else "",
            }
        )
    return sorted(rows, key=lambda row: (row["name_en"].lower(), row["member_id"]))


def _decision(item: AgendaItem) -> dict | None:
    try:
        decision = item.decision
    except Decision.DoesNotExist:
        return None
    return {
        "number": decision.number,
        "outcome": decision.outcome,
        "resolution": decision.resolution,
        "votes_for": decision.votes_for,
        "votes_against": decision.votes_against,
        "abstentions": decision.abstentions,
        "outcome_basis": decision.outcome_basis,
    }


def summaries_of(minutes: Minutes | None) -> dict[int, str]:
    """The secretariat's discussion summary per agenda item id, as the working draft holds them."""
    if minutes is None or minutes.pk is None:
        return {}
    return dict(MinutesItem.objects.filter(minutes=minutes).values_list("agenda_item_id", "summary"))


def draft_content(meeting: Meeting, summaries: dict[int, str]) -> dict:
    """The minutes as drafted now from the meeting's data and the given summaries (JSON-ready)."""
    items = meeting.items.select_related("proposal", "presenter", "decision").order_by("position", "pk")
    return {
        "attendance": _attendance(meeting),
        "quorum": quorum_status(meeting),
        "items": [
            {
                "agenda_item_id": item.pk,
                "position": item.position,
                "kind": item.kind,
                "title": item.display_title,
                "reference": item.proposal.reference if item.proposal_id else "",
                "presenter": item.presenter.acronym if item.presenter_id else "",
                "decision": _decision(item),
                "summary": summaries.get(item.pk, ""),
            }
            for item in items
        ],
    }


def current_content(minutes: Minutes) -> dict:
    """What the minutes say now: the newest final version once final, else the draft from live data."""
    if minutes.is_final:
        return minutes.versions.order_by("-number").values_list("content", flat=True).first()
    return draft_content(minutes.meeting, summaries_of(minutes))


def readable(content: dict, language: str) -> dict:
    """The content with words for its codes, in `language` for names (call inside that language)."""
    statuses = dict(Attendance.Status.choices)
    outcomes = dict(Decision.Outcome.choices)
    kinds = dict(AgendaItem.Kind.choices)
    name_key = "name_ko" if language.startswith("ko") else "name_en"
    attendance = [
        {**row, "name": row[name_key], "status_label": statuses.get(row["status"], "")} for row in content["attendance"]
    ]
    groups = {
        status: [row for row in attendance if row["status"] == status]
        for status in (*Attendance.Status.values, NOT_RECORDED)
    }
    items = []
    for item in content["items"]:
        decision = item["decision"]
        if decision is not None:
            decision = {**decision, "outcome_label": outcomes.get(decision["outcome"], decision["outcome"])}
        items.append({**item, "kind_label": kinds.get(item["kind"], item["kind"]), "decision": decision})
    return {
        "attendance": attendance,
        "present": groups[Attendance.Status.PRESENT],
        "represented": groups[Attendance.Status.REPRESENTED],
        "absent": groups[Attendance.Status.ABSENT],
        "not_recorded": groups[NOT_RECORDED],
        "quorum": content["quorum"],
        "items": items,
    }


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def comments_by_item(minutes: Minutes) -> dict[int | None, list]:
    """Members' comments grouped by agenda item id (None: on the whole minutes), oldest first."""
    grouped: dict[int | None, list] = {}
    for comment in minutes.comments.select_related("author").order_by("created_at", "pk"):
        grouped.setdefault(comment.agenda_item_id, []).append(comment)
    return grouped
