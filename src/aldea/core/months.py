import datetime


def add_months(month: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` calendar months after ``month`` (before, if negative).

    Outcome records are monthly and stored on the first day: windows such as "the last 12 months
    with data" start at ``add_months(last_month, -11)``.
    """
    year, index = divmod(month.year * 12 + month.month - 1 + count, 12)
    return datetime.date(year, index + 1, 1)
