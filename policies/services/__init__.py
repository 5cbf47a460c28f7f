"""The verbs of the policy lifecycle, one module per aggregate. Views, the API, the admin and commands change
state only here.

Every verb checks permission and state, locks what it changes, writes the proposal timeline and creates its
notifications in the same transaction. Import a verb from here (`services.submit_proposal`) or from its
module (`services.proposals`); reads that change nothing live in `policies.queries`.
"""

from .actions import assign_follow_up_action, reopen_action, report_progress, require_progress_reporter, verify_action
from .attachments import AttachmentTooLarge, add_attachment, check_upload, remove_attachment
from .consultations import consultation_deadline, give_opinion, request_consultations, require_opinion_giver
from .decisions import ADOPTED_OUTCOMES, record_decision
from .drafts import SavedDraft, save_draft
from .meetings import (
    AGENDA_ITEM_FIELDS,
    MEETING_FIELDS,
    add_agenda_item,
    cancel_meeting,
    create_meeting,
    mark_meeting_held,
    publish_agenda,
    record_attendance,
    remove_agenda_item,
    reorder_agenda,
    update_agenda_item,
    update_meeting,
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

__all__ = [
    "SavedDraft",
    "save_draft",
    "ADOPTED_OUTCOMES",
    "AGENDA_ITEM_FIELDS",
    "MEETING_FIELDS",
    "PROPOSAL_FIELDS",
    "PROPOSAL_RELATIONS",
    "AttachmentTooLarge",
    "accept_proposal",
    "add_agenda_item",
    "add_attachment",
    "assign_follow_up_action",
    "cancel_meeting",
    "check_upload",
    "consultation_deadline",
    "create_meeting",
    "create_proposal",
    "give_opinion",
    "mark_meeting_held",
    "publish_agenda",
    "record_attendance",
    "record_decision",
    "remove_agenda_item",
    "remove_attachment",
    "reopen_action",
    "reorder_agenda",
    "report_progress",
    "request_consultations",
    "require_editable",
    "require_opinion_giver",
    "require_progress_reporter",
    "return_proposal",
    "start_review",
    "submit_proposal",
    "transition_proposal",
    "update_agenda_item",
    "update_meeting",
    "update_preferences",
    "update_proposal",
    "verify_action",
    "withdraw_proposal",
]
