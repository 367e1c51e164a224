from django.db import migrations, models

import pagecache.models


def create_the_row(apps, schema_editor):
    apps.get_model("pagecache", "SiteVersion").objects.using(schema_editor.connection.alias).create(
        pk=pagecache.models.SITE, value=pagecache.models.new_value()
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SiteVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=pagecache.models.new_value)),
            ],
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
