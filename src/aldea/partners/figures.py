"""What the partners pages show, as plain functions over rows already fetched."""

import datetime

from aldea.partners.models import AgreementState, Helix

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
    """Agreements in force today that end within ``days`` days (today and the last day
    included), soonest first, each with the days left: ``[{"agreement", "days_left"}]``."""
    horizon = today + datetime.timedelta(days=days)
    rows = [
        {"agreement": a, "days_left": (a.ends_on - today).days}
        for a in agreements
        if a.state_on(today) == AgreementState.IN_FORCE and a.ends_on is not None and a.ends_on <= horizon
    ]
    return sorted(rows, key=lambda row: (row["agreement"].ends_on, row["agreement"].code))


def renewals_due(agreements, *, today: datetime.date, horizons=(30, 60, 90)) -> list[dict]:
    """Agreements in force that end within each horizon (30, 60, 90 days): each agreement counted
    in the first horizon it falls in. ``[{"days", "agreements": [...]}]``, every horizon present."""
    rows = expiring_agreements(agreements, today=today, days=max(horizons))
    groups, previous = [], -1
    for days in sorted(horizons):
        groups.append({"days": days, "agreements": [r for r in rows if previous < r["days_left"] <= days]})
        previous = days
    return groups


def agreement_state_counts(agreements, *, today: datetime.date) -> dict[str, int]:
    """How many agreements are in each state today (every state present, zero when none)."""
    counts = dict.fromkeys(AgreementState.values, 0)
    for agreement in agreements:
        counts[agreement.state_on(today)] += 1
    return counts
