"""Gap-free yearly counters behind proposal references and decision numbers."""

from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class ReferenceCounter(models.Model):
    class Series(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        DECISION = "decision", _("Decision")

    committee = models.ForeignKey("directory.Committee", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20, choices=Series.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "series"], name="reference_counter_unique"),
        ]

    def __str__(self):
        return f"{self.committee_id}/{self.year}/{self.series}: {self.last_number}"

    @classmethod
    def next_number(cls, committee_id: int, year: int, series: str) -> int:
        """Take the next number in one statement, so concurrent callers never get the same one.

        The upsert locks the counter row until the caller's transaction ends; a rolled-back
        submission gives its number back.
        """
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            # Bandit B608 accepted: {table} is this model's own db_table, quoted by the backend; values are parameters.
            cursor.execute(
                f"INSERT INTO {table} (committee_id, year, series, last_number) VALUES (%s, %s, %s, 1) "  # nosec B608
                f"ON CONFLICT (committee_id, year, series) "
                f"DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
                [committee_id, year, series],
            )
            return cursor.fetchone()[0]
