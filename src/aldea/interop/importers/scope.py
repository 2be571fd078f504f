"""What one import may read and change, asked of the access policy once per import.

Every lookup an importer makes, of the keys it may update and of the records a row refers to,
goes through this object, and this object only calls the policy's functions
(each app's ``queries.py``): the import door re-implements no rule. Each answer is a queryset
filtered per batch (one query per batch, never per row) or a small table read once per import.

``user=None`` is the operator at the command line (``aldea import``), who reaches everything,
as staff do.
"""

from functools import cached_property

from aldea.accounts.models import Person
from aldea.accounts.queries import persons_writable_by, persons_writable_in
from aldea.core.access import is_global
from aldea.enterprises.models import Enterprise
from aldea.enterprises.queries import (
    enterprises_served_by,
    enterprises_with_editable_products,
    enterprises_writable_by,
)
from aldea.programmes.models import Programme, Village
from aldea.programmes.queries import programmes_managed_by, villages_writable_by


class ImportScope:
    def __init__(self, user=None):
        self.user = user
        self.is_unrestricted = user is None or is_global(user)

    @cached_property
    def programmes(self) -> dict:
        """slug → Programme the import may write in (a handful: read once per import)."""
        programmes = Programme.objects.all() if self.is_unrestricted else programmes_managed_by(self.user)
        return {p.slug: p for p in programmes.select_related("country")}

    @cached_property
    def villages(self) -> dict:
        """slug → Village the import may place MSMEs in."""
        villages = Village.objects.all() if self.is_unrestricted else villages_writable_by(self.user)
        return {v.slug: v for v in villages.select_related("programme__country")}

    def enterprises_to_change(self):
        """MSMEs whose own record an enterprises import may update."""
        return Enterprise.objects.all() if self.is_unrestricted else enterprises_writable_by(self.user)

    def enterprises_with_products_to_change(self):
        return Enterprise.objects.all() if self.is_unrestricted else enterprises_with_editable_products(self.user)

    def enterprises_with_outcomes_to_change(self):
        return Enterprise.objects.all() if self.is_unrestricted else enterprises_served_by(self.user)

    def persons_to_change(self):
        return Person.objects.all() if self.is_unrestricted else persons_writable_by(self.user)

    def cohorts_to_enrol(self):
        """Cohorts whose participants the import may enrol (a manager's, a trainer's own)."""
        from aldea.training.models import Cohort
        from aldea.training.queries import cohorts_writable_by

        return Cohort.objects.all() if self.is_unrestricted else cohorts_writable_by(self.user)

    def owners_in(self, programme_id):
        """People who may be named owner of an MSME of the programme."""
        return Person.objects.all() if self.is_unrestricted else persons_writable_in(self.user, [programme_id])
