"""Who hears what: notification rows created in the same transaction as the event that causes them.

Each function is called by a verb in `services.py` inside its transaction; delivery is queued on commit
by the outbox, so a rolled-back event notifies nobody.
"""


def proposal_transitioned(proposal, event):
    """Submitted/resubmitted: the secretariat. Returned, accepted, scheduled, decided, withdrawn: the agencies."""


def consultation_requested(consultation):
    """The consulted agency's liaisons."""


def opinion_received(consultation, *, revised):
    """The secretariat and the lead agency."""


def agenda_published(meeting):
    """Members and agencies with items, with an iCalendar invitation."""


def agenda_changed(meeting):
    """An update to the same invitation (same UID, higher SEQUENCE)."""


def meeting_cancelled(meeting):
    """A cancellation of the invitation."""


def decision_recorded(decision):
    """Members and the agencies concerned."""


def action_assigned(action):
    """The responsible agency."""


def progress_reported(report):
    """The secretariat."""
