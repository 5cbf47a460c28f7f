"""Proposal search, defined once: the portal's box, the API's `?search=` and the admin's search all use it."""

from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet

# What a person may type to find a proposal: its reference, its words, and who leads it (by acronym or name).
PROPOSAL_FIELDS = (
    "reference",
    "title",
    "summary",
    "lead_agency__acronym",
    "lead_agency__name_ko",
    "lead_agency__name_en",
)

# Longer input is cut rather than refused: nobody types more, and each term costs a pass over the rows.
MAX_TERMS = 10


def terms_of(text: str) -> list[str]:
    """The words of a search, as the admin and DRF split them: on whitespace, empty pieces dropped."""
    return text.split()[:MAX_TERMS]


def search_proposals(proposals: QuerySet, text: str) -> QuerySet:
    """The proposals in `proposals` that match every word of `text`, each word in any searchable field.

    Narrows a queryset the caller has already restricted to what the person may see; adds no rows.
    """
    terms = terms_of(text or "")
    if not terms:
        return proposals
    per_term = [reduce(or_, (Q(**{f"{field}__icontains": term}) for field in PROPOSAL_FIELDS)) for term in terms]
    # The lead agency is one row per proposal, so the joins cannot repeat a proposal: no DISTINCT needed.
    return proposals.filter(reduce(and_, per_term))
