"""Fill in the committee of outbox rows written before rows named it, from their deduplication keys.

The keys name the object a letter speaks of (`decision:<id>:<recipient>`, `reminder:action:<id>:...`), and
the object names its committee. Rows whose key names nothing of the policy lifecycle (digests, which gather
several committees, or keys of unknown shape) and rows whose object is gone stay without a committee:
only superusers see those in the admin. This lives in `policies` because the outbox may not know its keys.
"""

from collections import defaultdict

from django.db import migrations

# (key prefix, model, path from the model to its committee id); longer prefixes first.
RULES = [
    ("reminder:consultation:", "Consultation", "proposal__committee_id"),
    ("reminder:action:", "FollowUpAction", "decision__agenda_item__meeting__committee_id"),
    ("reminder:cutoff:", "Meeting", "committee_id"),
    ("proposal-event:", "ProposalEvent", "proposal__committee_id"),
    ("consultation-requested:", "Consultation", "proposal__committee_id"),
    ("opinion:", "Consultation", "proposal__committee_id"),
    ("meeting:", "Meeting", "committee_id"),
    ("decision:", "Decision", "agenda_item__meeting__committee_id"),
    ("action-assigned:", "FollowUpAction", "decision__agenda_item__meeting__committee_id"),
    ("progress:", "ProgressReport", "action__decision__agenda_item__meeting__committee_id"),
]
BATCH_SIZE = 2000


def object_named_by(dedup_key: str):
    """(rule index, object id) for a key that names an object of the lifecycle, else None."""
    for index, (prefix, _model, _path) in enumerate(RULES):
        if dedup_key.startswith(prefix):
            object_id = dedup_key[len(prefix) :].split(":", 1)[0]
            return (index, int(object_id)) if object_id.isdigit() else None
    return None


def committees_of(apps, named: dict[int, set[int]]) -> dict[tuple[int, int], int]:
    """(rule index, object id) -> committee id, one query per rule."""
    found = {}
    for index, object_ids in named.items():
        _prefix, model_name, path = RULES[index]
        model = apps.get_model("policies", model_name)
        for object_id, committee_id in model.objects.filter(pk__in=object_ids).values_list("pk", path):
            found[(index, object_id)] = committee_id
    return found


def backfill(apps, schema_editor=None) -> int:
    """Name the committee of every outbox row whose key allows it; returns how many rows were filled."""
    filled = 0
    for model_name in ("Notification", "OutboundEmail"):
        model = apps.get_model("outbox", model_name)
        last_pk = 0
        while True:
            rows = list(
                model.objects.filter(committee__isnull=True, pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", "dedup_key")[:BATCH_SIZE]
            )
            if not rows:
                break
            last_pk = rows[-1][0]
            objects = {pk: object_named_by(key) for pk, key in rows}
            named = defaultdict(set)
            for name in filter(None, objects.values()):
                named[name[0]].add(name[1])
            committees = committees_of(apps, named)
            rows_by_committee = defaultdict(list)
            for pk, name in objects.items():
                if name in committees:
                    rows_by_committee[committees[name]].append(pk)
            for committee_id, pks in rows_by_committee.items():
                filled += model.objects.filter(pk__in=pks).update(committee_id=committee_id)
    return filled


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0004_periodic_tasks"),
        ("outbox", "0002_committee_of_each_row"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
