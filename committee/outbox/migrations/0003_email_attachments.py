"""Emails carry any number of attachments; the calendar invitation each row kept in its ics columns becomes one.

The columns go in 0004: PostgreSQL will not alter a table in the transaction that has just written rows
referring to it. Going back restores the first calendar attachment of each email to the columns; other
attachments have no column to go back to and are dropped with the table.
"""

from email.message import Message

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

FILENAME = "invitation.ics"  # what delivery named the calendar part while it lived in the columns
BATCH = 500


def calendar_type(method: str) -> str:
    # An empty method was sent as a request (delivery's default then).
    return f"text/calendar; charset=utf-8; method={method or 'REQUEST'}"


def columns_to_attachments(apps, schema_editor):
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    EmailAttachment = apps.get_model("outbox", "EmailAttachment")
    rows = OutboundEmail.objects.exclude(ics_content="").values_list("pk", "ics_content", "ics_method")
    batch = []
    for pk, content, method in rows.order_by("pk").iterator(chunk_size=BATCH):
        data = content.encode("utf-8")
        batch.append(
            EmailAttachment(
                email_id=pk,
                position=0,
                filename=FILENAME,
                content_type=calendar_type(method),
                content=data,
                size=len(data),
            )
        )
        if len(batch) == BATCH:
            EmailAttachment.objects.bulk_create(batch)
            batch = []
    EmailAttachment.objects.bulk_create(batch)


def method_of(content_type: str) -> str:
    header = Message()
    header["Content-Type"] = content_type
    return (header.get_param("method") or "").upper()


def attachments_to_columns(apps, schema_editor):
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    EmailAttachment = apps.get_model("outbox", "EmailAttachment")
    calendars = EmailAttachment.objects.filter(content_type__istartswith="text/calendar")
    first = {}
    for row in calendars.order_by("email_id", "position").iterator(chunk_size=BATCH):
        first.setdefault(row.email_id, row)
    emails = [
        OutboundEmail(pk=pk, ics_content=bytes(row.content).decode("utf-8"), ics_method=method_of(row.content_type))
        for pk, row in first.items()
    ]
    OutboundEmail.objects.bulk_update(emails, ["ics_content", "ics_method"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_committee_of_each_row"),
    ]

    operations = [
        migrations.CreateModel(
            name="EmailAttachment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(verbose_name="position")),
                ("filename", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=255, verbose_name="content type")),
                ("content", models.BinaryField(verbose_name="content")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                (
                    "email",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="outbox.outboundemail",
                        verbose_name="email",
                    ),
                ),
            ],
            options={
                "verbose_name": "email attachment",
                "verbose_name_plural": "email attachments",
                "ordering": ["email", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("email", "position"), name="outbox_attachment_position_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("size", django.db.models.functions.text.Length("content"))),
                        name="outbox_attachment_size_true",
                    ),
                ],
            },
        ),
        migrations.RunPython(columns_to_attachments, attachments_to_columns),
    ]
