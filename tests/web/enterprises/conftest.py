"""An MSME with a full profile, and a way to grow the data to check the query budget."""

import datetime
from decimal import Decimal

from aldea.outcomes.models import Listing
from tests import factories as f


def fill_profile(enterprise, *, size=1):
    """Give ``enterprise`` ``size`` of everything the profile shows."""
    consultant = f.PersonFactory()
    for n in range(size):
        f.AssessmentFactory(
            enterprise=enterprise, assessed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=30 * n),
            score=Decimal(30 + n), level="novato",
        )
        f.EngagementFactory(enterprise=enterprise, consultant=consultant, supervisor=f.PersonFactory())
        product = f.ProductFactory(enterprise=enterprise)
        for _ in range(2):
            f.ListingFactory(
                product=product, status=Listing.Status.LIVE, live_on=datetime.date(2024, 3, 1),
                url="https://example.com/p",
            )
        f.OutcomeRecordFactory(enterprise=enterprise)


def grow(world, size):
    """More MSMEs in the village, each with ``size`` of everything."""
    for _ in range(size):
        enterprise = f.EnterpriseFactory(village=world.village)
        fill_profile(enterprise, size=size)
