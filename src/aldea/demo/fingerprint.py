"""A content hash of the demo programme, independent of ids, timestamps and row order."""

from __future__ import annotations

import hashlib

from aldea.consulting.models import ActionItem, Engagement, Meeting
from aldea.demo.catalogue import ORGANISATIONS
from aldea.diagnostics.models import Assessment
from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.partners.models import Agreement, Organisation
from aldea.programmes.models import IndicatorTarget, Village
from aldea.training.models import Attendance, Certificate, Enrolment

# model, the fields that identify and describe each row (natural keys, never ids).
FIELDS = (
    (Village, ("slug", "municipality__code", "speciality", "status", "launched_on")),
    (Organisation, ("slug", "kind", "helix", "municipality__code")),
    (Agreement, ("code", "status", "starts_on")),
    (Enterprise, ("code", "name", "group", "village__slug", "municipality__code", "sector", "formal_status",
                  "employees", "founded_year", "is_women_led", "owner__given_name", "owner__family_name",
                  "owner__sex", "owner__birth_year", "owner__speaks_indigenous_language", "owner__has_contact_consent")),
    (Product, ("sku", "title", "price", "gtin", "is_handmade")),
    (Listing, ("product__sku", "channel__code", "external_id", "status", "live_on")),
    (Engagement, ("enterprise__code", "consultant__given_name", "consultant__family_name", "stage",
                  "drop_reason", "started_on", "closed_on")),
    (Meeting, ("engagement__enterprise__code", "held_on", "mode", "duration_minutes")),
    (ActionItem, ("engagement__enterprise__code", "title", "due_on", "status")),
    (Assessment, ("enterprise__code", "assessed_on", "score", "level")),
    (OutcomeRecord, ("enterprise__code", "month", "total_sales", "online_sales", "orders", "units",
                     "export_markets", "source")),
    (Enrolment, ("cohort__code", "person__given_name", "person__family_name", "person__birth_year", "status")),
    (Attendance, ("session__cohort__code", "session__number", "enrolment__person__given_name", "status")),
    (Certificate, ("code", "enrolment__cohort__code", "issued_on")),
    (IndicatorTarget, ("indicator__code", "village__slug", "period_start", "target")),
)


def demo_fingerprint(programme=None) -> str:
    """SHA-256 over the sorted rows of the key models (all programmes unless one is given)."""
    digest = hashlib.sha256()
    for model, fields in FIELDS:
        qs = model.objects.all()
        if programme is not None:
            qs = qs.filter(**_programme_filter(model, programme))
        rows = sorted(tuple("" if v is None else str(v) for v in row) for row in qs.values_list(*fields))
        digest.update(f"{model._meta.label}:{len(rows)}\n".encode())
        for row in rows:
            digest.update(("\x1f".join(row) + "\n").encode())
    return digest.hexdigest()


def _programme_filter(model, programme) -> dict:
    paths = {
        Village: "programme", Agreement: "programme", Enterprise: "programme",
        Product: "enterprise__programme", Listing: "product__enterprise__programme",
        Engagement: "enterprise__programme", Meeting: "engagement__enterprise__programme",
        ActionItem: "engagement__enterprise__programme", Assessment: "enterprise__programme",
        OutcomeRecord: "enterprise__programme", Enrolment: "cohort__course__programme",
        Attendance: "session__cohort__course__programme", Certificate: "enrolment__cohort__course__programme",
        IndicatorTarget: "indicator__programme",
    }
    if model is Organisation:
        return {"slug__in": [spec.slug for spec in ORGANISATIONS]}
    return {paths[model]: programme}
