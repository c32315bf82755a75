from django.db import migrations, models

# SQLite: row triggers (SQLite has no statement triggers). An UPDATE, not an upsert: an outer
# INSERT OR IGNORE (bulk_create(ignore_conflicts=True)) would turn an inner upsert into a no-op.
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER org_{table}_version_{event.lower()} AFTER {event} ON org_{table} "
    "BEGIN UPDATE org_orgversion SET value = random() WHERE id = 1; END"
    for table in ("person", "unit")
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS org_{table}_version_{event.lower()}"
    for table in ("person", "unit")
    for event in ("INSERT", "UPDATE", "DELETE")
]
# PostgreSQL: one statement trigger per table, BEFORE the statement, so that a writer takes the
# version row's lock before any unit or person row's (one lock order for every writer: no
# deadlock between two of them).
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION org_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE org_orgversion SET value = floor(random() * 9000000000000000000)::bigint WHERE id = 1;
  RETURN NULL;
END $$
"""
POSTGRES_TRIGGERS = [
    f"CREATE TRIGGER org_{table}_version BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE"
    f" ON org_{table} FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump()"
    for table in ("person", "unit")
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS org_person_version ON org_person",
    "DROP TRIGGER IF EXISTS org_unit_version ON org_unit",
    "DROP FUNCTION IF EXISTS org_version_bump()",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute("INSERT INTO org_orgversion (id, value) VALUES (1, 1)")
    if vendor == "sqlite":
        statements = SQLITE_TRIGGERS
    elif vendor == "postgresql":
        statements = [POSTGRES_FUNCTION, *POSTGRES_TRIGGERS]
    else:
        statements = []  # other databases: no row, no triggers, no caching
    for sql in statements:
        schema_editor.execute(sql)
    if not statements:
        schema_editor.execute("DELETE FROM org_orgversion")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP if vendor == "postgresql" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("org", "0002_person_list_indexes")]

    operations = [
        migrations.CreateModel(
            name="OrgVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
