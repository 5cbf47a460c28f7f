"""Audit entries are append-only in the database too: UPDATE and DELETE are refused for every client.

TRUNCATE (test flushes, a deliberate wipe by the owner) is a statement-level act these row triggers do
not see. Lawful disposal of single entries: disable the trigger, delete, enable it, in one transaction.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_entry"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
