from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("consulting", "0003_backfill_drop_reason_code")]

    operations = [
        migrations.AddConstraint(
            model_name='engagement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('stage', 'dropped'), _negated=True), models.Q(('drop_reason_code', ''), _negated=True), _connector='OR'), name='engagement_drop_has_reason_code'),
        ),
        migrations.AddConstraint(
            model_name='engagement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('drop_reason_code', 'other'), _negated=True), models.Q(('drop_reason', ''), _negated=True), _connector='OR'), name='engagement_other_drop_has_words'),
        ),
    ]
