"""Paging for the portal's long lists: counted exactly up to a cap, and "more than" the cap beyond it."""

from functools import cached_property

from django.core.paginator import Paginator
from django.utils.formats import number_format


class CappedCountPaginator(Paginator):
    """Counts a list exactly up to COUNT_CAP rows, or just past the page asked for when that lies further, and
    beyond that knows only that there are more.

    An exact count of what a liaison may see tests every proposal against the visibility rule: 78 of the
    142 ms of the proposal list at 100,000 proposals (bench/RESULTS.md, row 8), growing with the table. A count
    that stops at the cap reads only until it has found 1,001 rows: for that liaison about 2,200 of the 100,000.
    Nobody pages through a thousand rows; they filter, and below the cap the count is exact again.
    """

    COUNT_CAP = 1000
    # A page number beyond any list: larger ones would make a LIMIT PostgreSQL cannot hold (bigint).
    LAST_PAGE_ASKED = 1_000_000

    def __init__(self, object_list, per_page, page: int = 1):
        super().__init__(object_list, per_page)
        # Far enough that the page asked for, and the one after it, exist: "next" works at any depth.
        self.count_limit = max(self.COUNT_CAP, per_page * (page + 1))

    @cached_property
    def count(self) -> int:
        """Rows up to count_limit + 1: one more than the limit means "more than"; the order is not needed."""
        return self.object_list.order_by()[: self.count_limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.count_limit

    @property
    def cap_shown(self) -> str:
        """The cap as the "more than" line says it: 1,000 in either language."""
        return number_format(self.COUNT_CAP, force_grouping=True)


def capped_page(rows, per_page: int, requested_page):
    """The page asked for (`?page=`): anything but a positive number gives the first, a page past the end the last.

    (Django's own get_page gives the last page for 0 or a negative number, which only an exact count can find.)"""
    try:
        page = min(max(1, int(requested_page)), CappedCountPaginator.LAST_PAGE_ASKED)
    except (TypeError, ValueError):
        page = 1
    return CappedCountPaginator(rows, per_page, page).get_page(page)
