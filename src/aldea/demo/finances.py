"""The demo programme's money: a two-year budget by line, quarterly planned disbursements from
the sponsor, and the money that came in and went out (the IATI export's budget and
transactions). Amounts scale with the number of MSMEs."""

import datetime as dt
from decimal import Decimal

from aldea.programmes.models import BudgetLine, FinancialTransaction, PlannedDisbursement


def create_finances(programme, *, sponsor: str, msmes: int) -> None:
    per_msme = {"Formación de formadores y consultores": 4_000, "Consultoría a MIPYMES": 9_000,
                "Plataforma, catálogo y datos": 2_500, "Coordinación y evaluación": 2_000}
    n = msmes
    lines, planned, moves = [], [], []
    for year in (2024, 2025):
        for name, amount in per_msme.items():
            lines.append(BudgetLine(programme=programme, name=name, period_start=dt.date(year, 1, 1),
                                    period_end=dt.date(year, 12, 31), amount=Decimal(amount * n // 2),
                                    currency="MXN", status="committed"))
        for quarter in range(4):
            start = dt.date(year, 3 * quarter + 1, 1)
            end = dt.date(year + (quarter == 3), (3 * quarter + 4) % 12 or 12, 1) - dt.timedelta(days=1)
            amount = Decimal(sum(per_msme.values()) * n // 8)
            planned.append(PlannedDisbursement(programme=programme, period_start=start, period_end=end,
                                               amount=amount, currency="MXN", provider_name=sponsor))
            moves.append(FinancialTransaction(programme=programme, kind="incoming_funds", transacted_on=start,
                                              amount=amount, currency="MXN", provider_name=sponsor,
                                              reference=f"ALDEA-{year}-Q{quarter + 1}-IN",
                                              description=f"Aportación trimestral {year} T{quarter + 1}"))
            moves.append(FinancialTransaction(programme=programme, kind="expenditure",
                                              transacted_on=end, amount=(amount * Decimal("0.93")).quantize(Decimal(1)),
                                              currency="MXN", reference=f"ALDEA-{year}-Q{quarter + 1}-EXP",
                                              description=f"Gasto del trimestre {year} T{quarter + 1}"))
    BudgetLine.objects.bulk_create(lines)
    PlannedDisbursement.objects.bulk_create(planned)
    FinancialTransaction.objects.bulk_create(moves)
