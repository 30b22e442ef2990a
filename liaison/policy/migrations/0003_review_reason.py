from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0002_policyreview"),
    ]

    operations = [
        migrations.AddField(
            model_name="policyreview",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="reason"),
        ),
    ]
