from datetime import date

from communique.dates import find_dates

PUB = date(2025, 6, 27)  # a Friday


def values(text, pub=PUB):
    return [(d.value, d.precision) for d in find_dates(text, pub) if not d.background]


def test_weekday_is_latest_on_or_before_publication():
    assert values("The ministers met on Thursday.") == [("2025-06-26", "day")]
    assert values("They met on Friday.") == [("2025-06-27", "day")]
    assert values("They met last Friday.") == [("2025-06-20", "day")]


def test_month_day_without_year_is_the_latest_not_after_publication():
    assert values("after the April 22 attack") == [("2025-04-22", "day")]
    assert values("on 3 March 2020 the talks ended") == [("2020-03-03", "day")]
    assert values("on December 30 the year before") == [("2024-12-30", "day")]


def test_year_and_month_precision():
    assert values("trust eroded during the 2020 standoff") == [("2020", "year")]
    assert values("a truce agreed in March 2023") == [("2023-03", "month")]
    assert values("the war began in November") == [("2024-11", "month")]


def test_relative_expressions():
    assert values("Yesterday the army said") == [("2025-06-26", "day")]
    assert values("aid extended this year") == [("2025", "year")]


def test_since_is_background():
    found = find_dates("camped outside since April 9", PUB)
    assert found and all(d.background for d in found)


def test_modal_may_is_not_a_month():
    assert values("The two sides may meet again.") == []


def test_a_date_just_ahead_of_publication_is_this_year():
    assert values("a tariff from June 10", date(2019, 6, 8)) == [("2019-06-10", "day")]
    assert values("the talks of December 30", date(2025, 3, 6)) == [("2024-12-30", "day")]
