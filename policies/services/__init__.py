"""The verbs of the policy lifecycle, one module per aggregate. Views, the API, the admin and commands change
state only here.

Every verb checks permission and state, locks what it changes, writes the proposal timeline and creates its
notifications in the same transaction. Import a verb from here (`services.submit_proposal`) or from its
module (`services.proposals`); reads that change nothing live in `policies.queries`.
"""

from .actions import (
    assign_follow_up_action,
    check_step,
    reopen_action,
    report_progress,
    require_progress_reporter,
    verify_action,
)
from .areas import delete_policy_area, save_policy_area
from .attachments import AttachmentTooLarge, add_attachment, check_upload, remove_attachment
from .consultations import (
    close_consultation,
    consultation_deadline,
    extend_consultation,
    give_opinion,
    request_consultations,
    require_consultation_manager,
    require_opinion_giver,
    withdraw_consultation,
)
from .decisions import ADOPTED_OUTCOMES, make_decision_public, record_decision, withdraw_from_public
from .drafts import SavedDraft, save_draft
from .feeds import rotate_calendar_feed
from .letters import add_opinion_attachment, remove_opinion_attachment
from .meetings import (
    AGENDA_ITEM_FIELDS,
    MEETING_FIELDS,
    add_agenda_item,
    add_agenda_items,
    cancel_meeting,
    check_meeting_action,
    create_meeting,
    mark_meeting_held,
    publish_agenda,
    record_attendance,
    record_attendance_sheet,
    remove_agenda_item,
    reorder_agenda,
    update_agenda_item,
    update_meeting,
)
from .minutes import (
    check_minutes_action,
    comment_on_minutes,
    correct_minutes,
    finalise_minutes,
    save_summaries,
    send_minutes_for_review,
    start_minutes,
)
from .preferences import update_preferences
from .proposals import (
    PROPOSAL_FIELDS,
    PROPOSAL_RELATIONS,
    accept_proposal,
    create_proposal,
    require_editable,
    return_proposal,
    start_review,
    submit_proposal,
    transition_proposal,
    update_proposal,
    withdraw_proposal,
)
from .replies import reply_to_invitation

__all__ = [
    "ADOPTED_OUTCOMES",
    "AGENDA_ITEM_FIELDS",
    "AttachmentTooLarge",
    "MEETING_FIELDS",
    "PROPOSAL_FIELDS",
    "PROPOSAL_RELATIONS",
    "SavedDraft",
    "accept_proposal",
    "add_agenda_item",
    "add_agenda_items",
    "add_attachment",
    "add_opinion_attachment",
    "assign_follow_up_action",
    "cancel_meeting",
    "check_meeting_action",
    "check_minutes_action",
    "check_step",
    "check_upload",
    "close_consultation",
    "comment_on_minutes",
    "consultation_deadline",
    "correct_minutes",
    "create_meeting",
    "create_proposal",
    "delete_policy_area",
    "extend_consultation",
    "finalise_minutes",
    "give_opinion",
    "make_decision_public",
    "mark_meeting_held",
    "publish_agenda",
    "record_attendance",
    "record_attendance_sheet",
    "record_decision",
    "remove_agenda_item",
    "remove_attachment",
    "remove_opinion_attachment",
    "reopen_action",
    "reorder_agenda",
    "reply_to_invitation",
    "report_progress",
    "request_consultations",
    "require_consultation_manager",
    "require_editable",
    "require_opinion_giver",
    "require_progress_reporter",
    "return_proposal",
    "rotate_calendar_feed",
    "save_draft",
    "save_policy_area",
    "save_summaries",
    "send_minutes_for_review",
    "start_minutes",
    "start_review",
    "submit_proposal",
    "transition_proposal",
    "update_agenda_item",
    "update_meeting",
    "update_preferences",
    "update_proposal",
    "verify_action",
    "withdraw_consultation",
    "withdraw_from_public",
    "withdraw_proposal",
]
