"""The doors the permission matrix walks, and where each kind of row belongs.

``PROGRAMME_OF`` says, per API resource, the path from a row to its programme (``None``:
reference data every signed-in user reads). ``PAGE_DOORS`` lists the pages that open one record,
with the rule that decides who may open them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from aldea.consulting.queries import engagements_visible_to
from aldea.diagnostics.queries import assessments_visible_to, enterprises_diagnosable_by
from aldea.enterprises.queries import enterprises_visible_to, enterprises_with_editable_products
from aldea.outcomes.queries import enterprises_with_enterable_outcomes
from aldea.partners.queries import organisations_visible_to
from aldea.programmes.queries import villages_visible_to
from aldea.training.queries import certificates_visible_to, cohorts_visible_to

PROGRAMME_OF = {
    "countries": None, "areas": None, "localities": None, "organisations": None,
    "instruments": None, "dimensions": None, "answer-scales": None, "answer-options": None,
    "questions": None, "sales-channels": None,
    "programmes": "id",
    "villages": "programme_id",
    "village-status-changes": "village__programme_id",
    "indicators": "programme_id",
    "indicator-targets": "indicator__programme_id",
    "agreements": "programme_id",
    "village-partner-roles": "village__programme_id",
    "memberships": "programme_id",
    "courses": "programme_id",
    "cohorts": "course__programme_id",
    "training-sessions": "cohort__course__programme_id",
    "enrolments": "cohort__course__programme_id",
    "attendance": "enrolment__cohort__course__programme_id",
    "assessment-results": "enrolment__cohort__course__programme_id",
    "certificates": "enrolment__cohort__course__programme_id",
    "enterprises": "programme_id",
    "products": "enterprise__programme_id",
    "assessments": "enterprise__programme_id",
    "engagements": "enterprise__programme_id",
    "stage-changes": "engagement__enterprise__programme_id",
    "meetings": "engagement__enterprise__programme_id",
    "action-items": "engagement__enterprise__programme_id",
    "listings": "product__enterprise__programme_id",
    "outcome-records": "enterprise__programme_id",
    # people belong to the programmes of their memberships and of the MSMEs they own
    "people": None,
}


@dataclass(frozen=True)
class PageDoor:
    name: str
    url: Callable  # row -> URL
    rows: Callable  # matrix -> the rows to try, in both programmes
    visible: Callable  # user -> queryset the page may open
    writable: Callable | None = None  # user -> queryset the page may change (pages that edit)


def _msmes(m):
    return [m.a.village_msme, m.a.owned_msme, m.a.second_village_msme, m.b.village_msme, m.b.owned_msme]


def _rows(endpoint):
    return lambda m: m.rows[endpoint]


PAGE_DOORS = [
    PageDoor("village page", lambda v: f"/programme/village/{v.slug}/",
             lambda m: [m.a.village, m.a.second_village, m.b.village], villages_visible_to),
    PageDoor("msme profile", lambda e: f"/msmes/{e.code}/", _msmes, enterprises_visible_to),
    PageDoor("product form", lambda e: f"/msmes/{e.code}/products/add/", _msmes, enterprises_visible_to,
             enterprises_with_editable_products),
    PageDoor("outcome entry", lambda e: f"/msmes/{e.code}/results/", _msmes, enterprises_visible_to,
             enterprises_with_enterable_outcomes),
    PageDoor("new diagnostic", lambda e: f"/diagnostics/msme/{e.code}/new/", _msmes, enterprises_visible_to,
             enterprises_diagnosable_by),
    PageDoor("diagnostic result", lambda a: f"/diagnostics/msme/{a.enterprise.code}/assessment/{a.pk}/",
             _rows("assessments"), assessments_visible_to),
    PageDoor("cohort page", lambda c: f"/training/cohort/{c.code}/", _rows("cohorts"), cohorts_visible_to),
    PageDoor("certificate PDF", lambda c: f"/training/certificate/{c.code}.pdf", _rows("certificates"),
             certificates_visible_to),
    PageDoor("engagement page", lambda e: f"/consultancy/engagement/{e.pk}/", _rows("engagements"),
             engagements_visible_to),
    PageDoor("organisation page", lambda o: f"/partners/{o.slug}/", _rows("organisations"), organisations_visible_to),
]
