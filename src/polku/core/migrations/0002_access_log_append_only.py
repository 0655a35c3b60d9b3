"""The read-access log is append-only in the database too, not only in the model.

On PostgreSQL, triggers refuse UPDATE and DELETE of log rows and the chain head cannot be
rewound. TRUNCATE is left to the table owner (test teardown uses it); production deployments
grant the application role only INSERT and SELECT on the log (docs/operations.md). SQLite, the
demo database, relies on the model's refusal.
"""

from django.db import migrations

PG_FORWARD = """
CREATE FUNCTION polku_access_log_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the read-access log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_accesslogentry_append_only
  BEFORE UPDATE OR DELETE ON core_accesslogentry
  FOR EACH ROW EXECUTE FUNCTION polku_access_log_refuse_change();

CREATE FUNCTION polku_access_log_head_forward_only() RETURNS trigger AS $$
BEGIN
  IF NEW.seq < OLD.seq THEN
    RAISE EXCEPTION 'the read-access log head cannot move backwards';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_accessloghead_forward_only
  BEFORE UPDATE ON core_accessloghead
  FOR EACH ROW EXECUTE FUNCTION polku_access_log_head_forward_only();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS core_accessloghead_forward_only ON core_accessloghead;
DROP FUNCTION IF EXISTS polku_access_log_head_forward_only();
DROP TRIGGER IF EXISTS core_accesslogentry_append_only ON core_accesslogentry;
DROP FUNCTION IF EXISTS polku_access_log_refuse_change();
"""


def create_head(apps, schema_editor):
    apps.get_model("core", "AccessLogHead").objects.get_or_create(pk=1)


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
