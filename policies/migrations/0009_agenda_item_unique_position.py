"""Agenda positions become unique per meeting: existing agendas are renumbered 1..n in their order first."""

import django.db.models.constraints
from django.db import migrations, models


def renumber_agendas(apps, schema_editor):
    AgendaItem = apps.get_model("policies", "AgendaItem")
    meeting_ids = AgendaItem.objects.values_list("meeting_id", flat=True).distinct()
    for meeting_id in meeting_ids:
        items = AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position", "pk")
        for position, item in enumerate(items, start=1):
            if item.position != position:
                AgendaItem.objects.filter(pk=item.pk).update(position=position)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_drop_unused_knox_table"),
        ("policies", "0008_attendance_reply"),
    ]

    operations = [
        migrations.RunPython(renumber_agendas, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.UniqueConstraint(
                deferrable=django.db.models.constraints.Deferrable["DEFERRED"],
                fields=("meeting", "position"),
                name="agenda_item_unique_position",
                violation_error_message="Another item of this agenda has this number.",
            ),
        ),
    ]
