"""What the public may see: villages on show, the producers who consented, and their products.

The same rule serves the showcase pages and the marketplace feeds (which publish products to
Google, Meta, Mercado Libre, Shopify and Amazon), so nothing reaches the public by one door that
another door keeps private.
"""

from django.db.models import QuerySet

from aldea.enterprises.models import Enterprise, Product
from aldea.programmes.models import Village, VillageStatus

# Villages on public show; candidates are only being considered and have not agreed to be shown.
PUBLIC_VILLAGE_STATUSES = (VillageStatus.SELECTED, VillageStatus.ACTIVE, VillageStatus.GRADUATED)


def is_on_show(village) -> bool:
    return village is not None and village.status in PUBLIC_VILLAGE_STATUSES


def public_villages() -> QuerySet[Village]:
    return Village.objects.filter(status__in=PUBLIC_VILLAGE_STATUSES)


def showcased_producers(village=None) -> QuerySet[Enterprise]:
    """Participant MSMEs of villages on show whose owners consented to the showcase."""
    producers = Enterprise.objects.filter(
        group=Enterprise.Group.PARTICIPANT, has_showcase_consent=True, village__status__in=PUBLIC_VILLAGE_STATUSES
    )
    return producers if village is None else producers.filter(village=village)


def products_on_show() -> QuerySet[Product]:
    """Products the public may see, on the showcase and in marketplace feeds."""
    return Product.objects.filter(enterprise__in=showcased_producers())
