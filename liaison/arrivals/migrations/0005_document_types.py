"""The vague "travel permit (Hong Kong, Macao, Taiwan)" becomes the two permits a resident of
those regions of China actually holds (issue 13): 港澳居民来往内地通行证 and 台湾居民来往大陆通行证.

Which one an existing ``travel_permit`` was: Taiwan's when the arrival's nationality was
recorded as TW or the number is Taiwan's (eight digits, no letter); Hong Kong and Macao's
otherwise (its numbers begin with H or M). A permit is held by Chinese nationals only, so a
nationality recorded as TW, HK or MO on a permit becomes CN; the region stays in the type.
"""

from django.db import migrations, models

REGIONS = ("TW", "HK", "MO")


def to_two_permits(apps, schema_editor):
    Arrival = apps.get_model("arrivals", "Arrival")
    permits = Arrival.objects.filter(document_type="travel_permit")
    taiwan = permits.filter(nationality="TW") | permits.filter(document_number__regex=r"^[0-9]{8}$")
    taiwan.update(document_type="mainland_travel_permit_tw")
    permits.update(document_type="mainland_travel_permit_hk_mo")
    Arrival.objects.filter(
        document_type__startswith="mainland_travel_permit_", nationality__in=REGIONS
    ).update(nationality="CN")


def to_one_permit(apps, schema_editor):
    Arrival = apps.get_model("arrivals", "Arrival")
    Arrival.objects.filter(document_type__startswith="mainland_travel_permit_").update(
        document_type="travel_permit"
    )


class Migration(migrations.Migration):
    # On 0004, which was in the tree by then: two leaves on 0003 stop every `migrate` (and test
    # run) with "conflicting migrations"; 0004 does not touch the document type.
    dependencies = [("arrivals", "0004_event_codes")]

    operations = [
        # Wider first: the new values are longer than 20 characters.
        migrations.AlterField(
            model_name="arrival",
            name="document_type",
            field=models.CharField(
                choices=[
                    ("passport", "Passport"),
                    (
                        "mainland_travel_permit_hk_mo",
                        "Mainland Travel Permit for Hong Kong and Macao Residents",
                    ),
                    ("mainland_travel_permit_tw", "Mainland Travel Permit for Taiwan Residents"),
                    ("crew_certificate", "Crew member certificate"),
                    ("other", "Other travel document"),
                ],
                max_length=32,
                verbose_name="document type",
            ),
        ),
        migrations.RunPython(to_two_permits, to_one_permit),
    ]
