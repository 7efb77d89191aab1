"""Invoices marked paid before the payment date existed get the day of their mark."""

from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models.functions import TruncDate


def backfill(apps, schema_editor) -> None:
    Invoice = apps.get_model("billing", "Invoice")
    Invoice.objects.filter(status="paid", paid_on__isnull=True).update(
        paid_on=TruncDate("paid_at", tzinfo=ZoneInfo("Europe/Moscow"))
    )


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_invoice_documents")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
