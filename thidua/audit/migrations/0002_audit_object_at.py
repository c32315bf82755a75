from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["agency", "object_type", "object_id", "-at"], name="audit_object_at"
            ),
        ),
    ]
