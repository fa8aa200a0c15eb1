"""On PostgreSQL the audit log is append-only in the database itself: no row can be deleted or
changed, except the actor link that Django clears when a user account is deleted.

(SQLite, the single-machine default, relies on the application: nothing in it edits or
deletes log entries, and the admin offers neither.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit log is append-only: entries cannot be deleted';
    END IF;
    IF (to_jsonb(NEW) - 'actor_id') IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id')
       OR NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id THEN
        RAISE EXCEPTION 'the audit log is append-only: entries cannot be changed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS auditlog_append_only ON auditlog_logentry;
CREATE TRIGGER auditlog_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION auditlog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS auditlog_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS auditlog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
