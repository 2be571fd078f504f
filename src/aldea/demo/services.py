"""Loading, detecting and removing the demo programme."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from aldea.accounts.models import Membership, Person, Role
from aldea.consulting.models import Engagement
from aldea.demo import catalogue as cat
from aldea.diagnostics.models import Assessment
from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.partners.models import Agreement, Organisation
from aldea.programmes.models import Programme, Village
from aldea.training.models import Certificate, Cohort, Course, Enrolment


def demo_programme() -> Programme | None:
    """The demo programme if it is loaded; its slug is the marker."""
    return Programme.objects.filter(slug=cat.PROGRAMME_SLUG).first()


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role as the pages name it, what they see) for each demo login, in the active
    language; the password is catalogue.DEMO_PASSWORD."""
    return [(cat.ADMIN_USERNAME, gettext("Administrator"), gettext("everything, including Django's admin (/admin/)"))] + [
        (username, str(Role(role).label), str(sees)) for username, role, *_rest, sees in cat.DEMO_USERS
    ]


@transaction.atomic
def reset_demo() -> bool:
    """Delete the demo programme, its people, organisations and logins. Returns False if absent.

    Deletes leaves first: several foreign keys are PROTECT (an MSME protects its village and owner,
    a cohort its course), so one cascading delete of the programme would be refused.
    """
    programme = demo_programme()
    if programme is None:
        return False
    people = set(Membership.objects.filter(programme=programme).values_list("person_id", flat=True))
    people |= set(Enterprise.objects.filter(programme=programme, owner__isnull=False).values_list("owner_id", flat=True))
    people |= set(Enrolment.objects.filter(cohort__course__programme=programme).values_list("person_id", flat=True))
    OutcomeRecord.objects.filter(enterprise__programme=programme).delete()
    Listing.objects.filter(product__enterprise__programme=programme).delete()
    Product.objects.filter(enterprise__programme=programme).delete()
    Assessment.objects.filter(enterprise__programme=programme).delete()
    Engagement.objects.filter(enterprise__programme=programme).delete()
    Enterprise.objects.filter(programme=programme).delete()
    Certificate.objects.filter(enrolment__cohort__course__programme=programme).delete()
    Cohort.objects.filter(course__programme=programme).delete()
    Course.objects.filter(programme=programme).delete()
    Agreement.objects.filter(programme=programme).delete()
    Village.objects.filter(programme=programme).delete()
    programme.delete()
    users = list(Person.objects.filter(pk__in=people, user__isnull=False).values_list("user_id", flat=True))
    get_user_model().objects.filter(Q(pk__in=users) | Q(username=cat.ADMIN_USERNAME)
                                    | Q(username__in=[u[0] for u in cat.DEMO_USERS])).delete()
    ids = sorted(people)
    for start in range(0, len(ids), 5000):
        Person.objects.filter(pk__in=ids[start:start + 5000]).delete()
    Person.objects.filter(user__isnull=True, memberships__isnull=True, enterprises__isnull=True,
                          enrolments__isnull=True, given_name="Administración", family_name="Aldea").delete()
    Organisation.objects.filter(slug__in=[o.slug for o in cat.ORGANISATIONS], memberships__isnull=True,
                                agreements__isnull=True, village_roles__isnull=True, cohorts__isnull=True).delete()
    return True
