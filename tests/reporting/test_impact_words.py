"""The analytics' sentences are in the catalogues, and the platform writes them in each language."""

from django.utils import translation

from aldea.analytics.impact import sentence
from aldea.reporting.impact.words import ANALYTICS_MESSAGES, impact_words, money


def test_the_catalogue_list_is_exactly_what_the_analytics_can_say():
    said = set()

    def record(message):
        said.add(message)
        return message

    def ci(low, high):
        return {"att": (low + high) / 2, "index": (low + high) / 2, "ci_low": low, "ci_high": high,
                "value": (low + high) / 2, "level": 0.95}

    for overall in (ci(1, 2), ci(-2, -1), ci(-1, 1), {"att": 1, "ci_low": None, "ci_high": None}):
        sentence.impact_sentence(overall, from_month=3, _=record)
    for pretrend in ({"p_value": None, "note": "the pre-treatment cells have no variance"}, {"p_value": None},
                     {"p_value": 0.5}, {"p_value": 0.01}):
        sentence.pretrend_sentence(pretrend, _=record)
    for c in (ci(0.1, 0.2), ci(-0.2, -0.1), ci(-0.1, 0.1)):
        sentence.equity_sentence(c, {"measures": {"gini": {"difference": c}}}, _=record)
    assert said == set(ANALYTICS_MESSAGES)


ESTIMATE = {
    "level": 0.95,
    "overall": {"simple": {"att": 1240.4, "se": 300.0, "ci_low": 610.2, "ci_high": 1870.9}},
    "event_study": [{"event_time": e, "att": 0 if e < 6 else 1500, "ci_low": -10 if e < 6 else 900,
                     "ci_high": 10 if e < 6 else 2100} for e in range(-3, 12)],
    "pretrend": {"statistic": 1.2, "p_value": 0.55, "df": 3},
}


def test_the_sentence_in_each_language_with_its_number_format():
    expected = {
        "en": "Participating MSMEs' online sales were 1,240 MXN a month higher than they would have been "
              "without the programme (95% CI 610 to 1,871), from month 6 after the start.",
        "es-mx": "Las ventas en línea de las MIPYMES participantes fueron 1,240 MXN al mes más altas de lo que "
                 "habrían sido sin el programa (IC 95% de 610 a 1,871), desde el mes 6 tras el inicio.",
        "pt-br": "As vendas online das MPEs participantes foram 1.240 MXN por mês maiores do que teriam sido "
                 "sem o programa (IC 95% de 610 a 1.871), a partir do mês 6 após o início.",
    }
    for code, text in expected.items():
        with translation.override(code):
            words = impact_words(ESTIMATE, outcome="online_sales", currency="MXN")
        assert words["impact"] == text
        assert words["from_month"] == 6


def test_money_keeps_decimals_only_below_a_hundred():
    with translation.override("pt-br"):
        assert (money(1234.5), money(12.345), money(12.3, 0)) == ("1.234", "12,35", "12")


def test_the_sentence_leaves_out_the_last_months_that_rest_on_one_cohort():
    tail = {"event_time": 12, "att": 1500, "ci_low": -50, "ci_high": 3050}
    estimate = {**ESTIMATE, "event_study": [*ESTIMATE["event_study"], tail]}
    assert impact_words(estimate, outcome="online_sales", currency="MXN")["from_month"] is None
    support = [{"event_time": e["event_time"], "n_cohorts": 1 if e["event_time"] == 12 else 3, "n_units": 9}
               for e in estimate["event_study"]]
    with translation.override("en"):
        words = impact_words({**estimate, "event_support": support}, outcome="online_sales", currency="MXN")
    assert words["from_month"] == 6 and words["impact"].endswith("from month 6 after the start.")
