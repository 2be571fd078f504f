"""Who may see and change MSMEs and their products.

Seeing an MSME:

* manager, analyst, and partner or trainer with no village: every MSME of the programme;
* trainer or partner narrowed to villages: the MSMEs of the villages they oversee;
* consultant: the MSMEs of their membership's village, plus those they have an engagement with,
  never another programme's;
* owner: the MSMEs they own.

Changing an MSME's record: its programme's managers. Serving it (its engagements, diagnostics,
products, listings and outcomes): managers, and the consultants who see it. An owner keeps her
own catalogue (products).
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from aldea.accounts.queries import Reach, reach_of
from aldea.enterprises.models import Enterprise, Product
from aldea.programmes.models import Village


def _consulted(reach: Reach) -> Q:
    """The MSMEs a consultant works with: their village's, and those they have engagements with."""
    if not reach.consultant_programme_ids:
        return Q(pk__in=[])
    engaged = Enterprise.objects.filter(engagements__consultant_id=reach.person_id).values("id")
    return Q(
        Q(village_id__in=reach.consultant_village_ids) | Q(id__in=engaged),
        programme_id__in=reach.consultant_programme_ids,
    )


def _owned(reach: Reach) -> Q:
    if not (reach.owner_programme_ids and reach.person_id):
        return Q(pk__in=[])
    return Q(owner_id=reach.person_id, programme_id__in=reach.owner_programme_ids)


def keyed_within(user, visible: QuerySet, through: str) -> Q:
    """The rows whose key ``through`` (``"enterprise"``, ``"product"``) points into ``visible``, a
    rule's rows for ``user``: how the records of an MSME (outcomes, assessments, products,
    listings) are scoped.

    When the user sees a programme or a village whole, the key is looked up row by row (a
    correlated EXISTS). As ``enterprise IN (the visible MSMEs)``, or joined, SQLite started from
    the 100,000 MSMEs and sorted every one of their records before a page's first row (0.5 to
    1.3 s for outcome records and listings at 100,000 MSMEs); row by row, both databases walk
    the records in key order and stop at a full page. A personal scope (a consultant's own
    engagements, an owner's MSMEs) is a few MSMEs, which the database reads first through
    ``IN``, so that it does not walk millions of records to find theirs."""
    reach = reach_of(user)
    if reach.is_global:
        return Q()
    if reach.wide_programme_ids or reach.oversight_village_ids or reach.consultant_village_ids:
        return Q(Exists(visible.filter(pk=OuterRef(f"{through}_id"))))
    return Q(**{f"{through}__in": visible})


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    reach = reach_of(user)
    if reach.is_global:
        return Enterprise.objects.all()
    return Enterprise.objects.filter(
        Q(programme_id__in=reach.wide_programme_ids)
        | Q(village_id__in=reach.oversight_village_ids)
        | _consulted(reach)
        | _owned(reach)
    )


def enterprises_writable_by(user) -> QuerySet[Enterprise]:
    """MSMEs whose own record (name, village, owner, group) the user may change: managers'."""
    reach = reach_of(user)
    if reach.is_global:
        return Enterprise.objects.all()
    return Enterprise.objects.filter(programme_id__in=reach.manager_programme_ids)


def enterprises_served_by(user) -> QuerySet[Enterprise]:
    """MSMEs whose engagements, assessments, products, listings and outcomes the user may write."""
    reach = reach_of(user)
    if reach.is_global:
        return Enterprise.objects.all()
    return Enterprise.objects.filter(Q(programme_id__in=reach.manager_programme_ids) | _consulted(reach))


def enterprises_with_editable_products(user) -> QuerySet[Enterprise]:
    """Those served by the user, plus an owner's own MSMEs (owners keep their catalogue)."""
    reach = reach_of(user)
    if reach.is_global:
        return Enterprise.objects.all()
    return Enterprise.objects.filter(Q(id__in=enterprises_served_by(user).values("id")) | _owned(reach))


def products_visible_to(user) -> QuerySet[Product]:
    return Product.objects.filter(keyed_within(user, enterprises_visible_to(user), "enterprise"))


def products_writable_by(user) -> QuerySet[Product]:
    return Product.objects.filter(enterprise__in=enterprises_with_editable_products(user))


def villages_open_for_registration_by(user) -> QuerySet[Village]:
    """Villages where the user may register a new MSME: every village of the programmes they
    manage, and a consultant's own villages."""
    reach = reach_of(user)
    if reach.is_global:
        return Village.objects.all()
    return Village.objects.filter(
        Q(programme_id__in=reach.manager_programme_ids)
        | Q(id__in=reach.consultant_village_ids, programme_id__in=reach.consultant_programme_ids)
    )


def participants_of_village() -> Coalesce:
    """An annotation for villages: their participant MSMEs, counted by a subquery per village
    on the (village, group) index; a join grouped over every village column would read all
    MSMEs of the programme."""
    counted = (
        Enterprise.objects.filter(village=OuterRef("pk"), group=Enterprise.Group.PARTICIPANT)
        .order_by().values("village").annotate(n=Count("*")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
