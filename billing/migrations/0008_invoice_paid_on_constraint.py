# The constraint comes after the backfill, in a transaction of its own: PostgreSQL
# refuses to alter a table with pending trigger events from the same transaction.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0007_invoice_paid_on_backfill")]

    operations = [
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('paid_at__isnull', True), ('paid_on__isnull', True), ('status', 'issued')), models.Q(('paid_at__isnull', False), ('paid_on__isnull', False), ('status', 'paid')), _connector='OR'), name='invoice_paid_at_matches_status'),
        ),
    ]
