from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


def add_trigram_index(apps, schema_editor):
    # PostgreSQL only: answers search_text LIKE '%word%' for words of three letters or more.
    # It is not in Person.Meta.indexes because SQLite cannot create it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX person_search_trgm ON org_person USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_agency_sort"),
        migrations.AlterField(
            model_name="person",
            name="search_text",
            field=models.CharField(editable=False, max_length=300),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["agency", "sort_key", "id", "left_on", "search_text"], name="person_list"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["agency", "left_on", "unit"], name="person_agency_left_unit"
            ),
        ),
        TrigramExtension(),  # does nothing on SQLite
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
