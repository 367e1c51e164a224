"""Give every existing talk its edition key, as `Talk.save()` now does."""

from django.db import migrations

from talks.models import edition_key_of

BATCH = 500


def fill_edition_keys(apps, schema_editor):
    Talk = apps.get_model("talks", "Talk")
    changed = []
    for talk in Talk.objects.only("title", "talk_group", "edition_key").iterator(BATCH):
        key = edition_key_of(talk.title, talk.talk_group)
        if key != talk.edition_key:
            talk.edition_key = key
            changed.append(talk)
    Talk.objects.bulk_update(changed, ["edition_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("talks", "0006_edition_key_and_list_indexes"),
    ]

    operations = [
        migrations.RunPython(fill_edition_keys, migrations.RunPython.noop, elidable=True),
    ]
