"""The facts an indicator counts: the platform's records, with the paths that place them.

Each fact names its model, the path from a row to the programme, to the village, to the person it
is about (for sex, age band and indigenous language) and to the municipality (for the
marginalisation degree), the dates a period can be read from, what may be counted distinctly or
summed, and the filters a definition may use. An indicator definition names facts, measures and
filters only from here, so a definition can never reach a field the platform does not mean to
count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from aldea.accounts.models import Membership, Role
from aldea.consulting.models import ActionItem, Engagement, Stage, StageChange
from aldea.enterprises.models import Enterprise, FormalStatus, Sector
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.partners.models import Agreement, VillagePartnerRole
from aldea.programmes.models import Village, VillageStatus
from aldea.training.models import Certificate, CourseLevel, Enrolment


@dataclass(frozen=True)
class Filter:
    """A filter a definition may name: the ORM path, the kind of value, the allowed values."""

    path: str
    kind: str = "choice"  # choice, bool, number, text
    choices: tuple = ()


@dataclass(frozen=True)
class Fact:
    key: str
    model: type[models.Model]
    programme: str
    village: str | None = None
    person: str | None = None
    municipality: str | None = None
    date: str | None = None  # the date a period is read from ("cumulative", "flow", "latest")
    ends: str | None = None  # with ``date``, the end of a validity ("in force")
    distinct: dict = field(default_factory=dict)  # name → path
    sums: dict = field(default_factory=dict)  # name → numeric field
    filters: dict = field(default_factory=dict)  # name → Filter


def _choices(text_choices) -> tuple:
    return tuple(text_choices.values)


MSME_FILTERS = {
    "group": Filter("group", choices=_choices(Enterprise.Group)),
    "sector": Filter("sector", choices=_choices(Sector)),
    "formal_status": Filter("formal_status", choices=_choices(FormalStatus)),
    "is_women_led": Filter("is_women_led", "bool"),
    "has_showcase_consent": Filter("has_showcase_consent", "bool"),
    "employees": Filter("employees", "number"),
}


def _msme_filters(prefix: str) -> dict:
    return {name: Filter(f"{prefix}__{f.path}", f.kind, f.choices) for name, f in MSME_FILTERS.items()}


FACTS = {
    fact.key: fact
    for fact in (
        Fact(
            "msmes", Enterprise, programme="programme_id", village="village_id", person="owner",
            municipality="municipality", filters=MSME_FILTERS, sums={"employees": "employees"},
        ),
        Fact(
            "memberships", Membership, programme="programme_id", village="village_id", person="person",
            date="starts_on", ends="ends_on", distinct={"person": "person"},
            filters={"role": Filter("role", choices=_choices(Role)), "is_active": Filter("is_active", "bool")},
        ),
        Fact(
            "enrolments", Enrolment, programme="cohort__course__programme_id", village="cohort__village_id",
            person="person", date="enrolled_on", distinct={"person": "person"},
            filters={
                "status": Filter("status", choices=_choices(Enrolment.Status)),
                "level": Filter("cohort__course__level", choices=_choices(CourseLevel)),
            },
        ),
        Fact(
            "certificates", Certificate, programme="enrolment__cohort__course__programme_id",
            village="enrolment__cohort__village_id", person="enrolment__person", date="issued_on",
            distinct={"person": "enrolment__person"},
            filters={
                "level": Filter("enrolment__cohort__course__level", choices=_choices(CourseLevel)),
                "is_revoked": Filter("revoked_at__isnull", "bool_inverted"),
            },
        ),
        Fact(
            "engagements", Engagement, programme="enterprise__programme_id", village="enterprise__village_id",
            person="enterprise__owner", municipality="enterprise__municipality", date="started_on",
            distinct={"msme": "enterprise", "consultant": "consultant"},
            filters={"stage": Filter("stage", choices=_choices(Stage)), **_msme_filters("enterprise")},
        ),
        Fact(
            "stage_changes", StageChange, programme="engagement__enterprise__programme_id",
            village="engagement__enterprise__village_id", person="engagement__enterprise__owner",
            municipality="engagement__enterprise__municipality", date="changed_at",
            distinct={"msme": "engagement__enterprise"},
            filters={"to_stage": Filter("to_stage", choices=_choices(Stage)), **_msme_filters("engagement__enterprise")},
        ),
        Fact(
            "action_items", ActionItem, programme="engagement__enterprise__programme_id",
            village="engagement__enterprise__village_id", person="engagement__enterprise__owner",
            municipality="engagement__enterprise__municipality", date="due_on",
            distinct={"msme": "engagement__enterprise"},
            filters={"status": Filter("status", choices=_choices(ActionItem.Status))},
        ),
        Fact(
            "listings", Listing, programme="product__enterprise__programme_id",
            village="product__enterprise__village_id", person="product__enterprise__owner",
            municipality="product__enterprise__municipality", date="live_on",
            distinct={"msme": "product__enterprise", "product": "product"},
            filters={
                "status": Filter("status", choices=_choices(Listing.Status)),
                "channel": Filter("channel__code", "text"),
                **_msme_filters("product__enterprise"),
            },
        ),
        Fact(
            "outcome_records", OutcomeRecord, programme="enterprise__programme_id", village="enterprise__village_id",
            person="enterprise__owner", municipality="enterprise__municipality", date="month",
            distinct={"msme": "enterprise"},
            sums={name: name for name in ("online_sales", "total_sales", "orders", "units", "employees", "export_markets")},
            filters={"export_markets": Filter("export_markets", "number"), **_msme_filters("enterprise")},
        ),
        Fact(
            "villages", Village, programme="programme_id", village="id", municipality="municipality",
            date="launched_on", filters={"status": Filter("status", choices=_choices(VillageStatus))},
        ),
        Fact(
            "agreements", Agreement, programme="programme_id", date="starts_on", ends="ends_on",
            filters={"status": Filter("status", choices=_choices(Agreement.Status))},
        ),
        Fact(
            "partner_roles", VillagePartnerRole, programme="village__programme_id", village="village_id",
            municipality="village__municipality", distinct={"organisation": "organisation"},
            filters={"role": Filter("role", choices=_choices(VillagePartnerRole.Role))},
        ),
    )
}
