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


def test_numeric_dates_are_day_first_unless_only_month_first_is_recent():
    assert values("killed on 6/02/2015", date(2015, 2, 7)) == [("2015-02-06", "day")]
    assert values("on 19/7/2012", date(2012, 7, 19)) == [("2012-07-19", "day")]
    # 2/13 can only be month first
    assert values("report of 2/13/2020", date(2020, 2, 20)) == [("2020-02-13", "day")]
    # published on 6 March 2020, 3/4/2020 is 4 March (3 April is still ahead)
    assert values("on 3/4/2020", date(2020, 3, 6)) == [("2020-03-04", "day")]
    # far from publication, day first
    assert values("in the raid of 5/3/2010", date(2020, 3, 6)) == [("2010-03-05", "day")]


def test_a_named_weekday_beside_yesterday_wins():
    # a bulletin's "yesterday" counts from its own later edition; Tuesday is said outright
    assert values("About 90 were killed yesterday, Tuesday", date(2013, 1, 8)) == [("2013-01-08", "day")]
    assert values("About 90 were killed yesterday", date(2013, 1, 8)) == [("2013-01-07", "day")]
