"""Writes of the partners app that do more than save a form."""

from django.db import transaction

from aldea.partners.models import Organisation


@transaction.atomic
def register_organisation(*, form, programme) -> Organisation:
    """Add the organisation of a valid ``OrganisationForm`` to the directory, registered by
    ``programme``, whose managers then keep it up to date (aldea.partners.queries)."""
    organisation = form.save(commit=False)
    organisation.registered_in = programme
    organisation.save()
    return organisation
