"""What the partners pages show, as plain functions over rows already fetched."""

import datetime

from aldea.partners.models import Agreement, Helix

DEFAULT_EXPIRY_DAYS = 90


def organisations_by_helix(organisations, roles) -> list[dict]:
    """Organisations in the three helices (government, academia, industry, in that order), each
    with the villages where it holds a role: ``[{"helix", "label", "organisations": [{"organisation",
    "roles": [VillagePartnerRole, ...]}]}]``. Every helix is present, possibly empty."""
    roles_by_organisation: dict[int, list] = {}
    for role in roles:
        roles_by_organisation.setdefault(role.organisation_id, []).append(role)
    groups = {value: [] for value in Helix.values}
    for organisation in sorted(organisations, key=lambda o: o.name.casefold()):
        groups.setdefault(organisation.helix, []).append(
            {"organisation": organisation, "roles": roles_by_organisation.get(organisation.pk, [])}
        )
    labels = dict(Helix.choices)
    return [{"helix": value, "label": labels.get(value, value), "organisations": rows} for value, rows in groups.items()]


def expiring_agreements(agreements, *, today: datetime.date, days: int = DEFAULT_EXPIRY_DAYS) -> list[dict]:
    """Active agreements that end within ``days`` days of ``today`` (today and the last day
    included), soonest first, each with the days left: ``[{"agreement", "days_left"}]``."""
    horizon = today + datetime.timedelta(days=days)
    rows = [
        {"agreement": a, "days_left": (a.ends_on - today).days}
        for a in agreements
        if a.status == Agreement.Status.ACTIVE and a.ends_on is not None and today <= a.ends_on <= horizon
    ]
    return sorted(rows, key=lambda row: (row["agreement"].ends_on, row["agreement"].code))


def agreement_status_counts(agreements) -> dict[str, int]:
    """How many agreements are in each status (every status present, zero when none)."""
    counts = dict.fromkeys(Agreement.Status.values, 0)
    for agreement in agreements:
        counts[agreement.status] = counts.get(agreement.status, 0) + 1
    return counts
