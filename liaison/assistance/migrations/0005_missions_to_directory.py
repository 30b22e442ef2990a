"""Cases and consular notifications point at the directory's organizations; the old tables go.

``directory.0002_missions_from_assistance`` copied every mission with its primary key, so the
foreign keys keep their values and only change the table they refer to.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0004_case_event_data"),
        ("directory", "0002_missions_from_assistance"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assistancecase",
            name="missions",
            field=models.ManyToManyField(
                blank=True,
                related_name="cases",
                to="directory.organization",
                verbose_name="missions involved",
            ),
        ),
        migrations.AlterField(
            model_name="consularnotification",
            name="mission",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="notifications",
                to="directory.organization",
                verbose_name="mission",
            ),
        ),
        migrations.DeleteModel(name="MissionContact"),
        migrations.DeleteModel(name="MissionCoverage"),
        migrations.DeleteModel(name="Mission"),
    ]
