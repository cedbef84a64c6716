"""Dates: BE/CE detection, Thai months, swapped and ambiguous day/month, impossible dates, ages."""

import datetime as dt

import pytest

from ingest.types.dates import date_be, date_ce, parse_date, parse_datetime


@pytest.mark.parametrize(
    ("raw", "value", "era", "flags"),
    [
        ("15/08/2561", "2018-08-15", "BE", ()),
        ("15-08-2561", "2018-08-15", "BE", ()),
        ("2561-08-15", "2018-08-15", "BE", ()),
        ("25610815", "2018-08-15", "BE", ()),
        ("15082561", "2018-08-15", "BE", ()),
        ("15 ส.ค. 2561", "2018-08-15", "BE", ()),
        ("15 ส.ค.2561", "2018-08-15", "BE", ()),
        ("15 สิงหาคม 2561", "2018-08-15", "BE", ()),
        ("วันที่ 15 สิงหาคม พ.ศ. 2561", "2018-08-15", "BE", ()),
        ("๑๕/๐๘/๒๕๖๑", "2018-08-15", "BE", ()),
        ("1 ม.ค. 2500", "1957-01-01", "BE", ()),
        ("15/08/61", "2018-08-15", "BE", ("two_digit_year",)),
        ("15/08/95", "1952-08-15", "BE", ("two_digit_year",)),
        ("15/08/2018", "2018-08-15", "CE", ("ce_year_in_be_column",)),
        ("1985-03-02", "1985-03-02", "CE", ("ce_year_in_be_column",)),
        ("31/08/2561", "2018-08-31", "BE", ()),
        ("08/31/2561", "2018-08-31", "BE", ("swapped_day_month",)),
        ("2561-31-08", "2018-08-31", "BE", ("swapped_day_month",)),
        ("29/02/2563", "2020-02-29", "BE", ()),  # leap year 2020
        ("29/02/2561", None, "BE", ("impossible_date",)),
        ("31/04/2561", None, "BE", ("impossible_date",)),
        ("32/13/2561", None, "BE", ("impossible_date",)),
        ("", None, None, ("empty",)),
        ("-", None, None, ("empty",)),
        ("ไม่ทราบ", None, None, ("empty",)),
        ("15/08", None, None, ("unparseable",)),
        ("สงกรานต์", None, None, ("unparseable",)),
    ],
)
def test_date_be(raw, value, era, flags):
    parsed = date_be(raw)
    assert (parsed.raw, parsed.value, parsed.era, parsed.flags) == (raw, value, era, flags)


def test_impossible_date_keeps_year():
    assert date_be("29/02/2561").year == 2018


@pytest.mark.parametrize(
    ("raw", "value", "alternative"),
    [
        ("05/08/2561", "2018-08-05", "2018-05-08"),
        ("1/12/2561", "2018-12-01", "2018-01-12"),
    ],
)
def test_ambiguous_day_month_keeps_alternative(raw, value, alternative):
    parsed = date_be(raw)
    assert (parsed.value, parsed.alternative, parsed.flags) == (value, alternative, ("ambiguous_day_month",))


def test_same_day_and_month_is_not_ambiguous():
    assert date_be("08/08/2561").flags == ()


@pytest.mark.parametrize(
    ("raw", "value", "flags"),
    [
        ("2018-08-15", "2018-08-15", ()),
        ("1990-01-31", "1990-01-31", ()),
        ("2561-08-15", "2018-08-15", ("be_year_in_ce_column",)),
        ("15 Aug 2018", "2018-08-15", ()),
        ("15 December 2018", "2018-12-15", ()),
        ("2018-08-15T10:00:00+07:00", "2018-08-15", ()),
        ("15/08/18", "2018-08-15", ("two_digit_year",)),
        ("15/08/85", "1985-08-15", ("two_digit_year",)),
    ],
)
def test_date_ce(raw, value, flags):
    parsed = date_ce(raw)
    assert (parsed.value, parsed.flags) == (value, flags)


def test_auto_era_detects_by_year():
    assert parse_date("15/08/2561").era == "BE"
    assert parse_date("15/08/2018").era == "CE"
    assert parse_date("15/08/2018").flags == ()


@pytest.mark.parametrize(("raw", "age", "year"), [("อายุ 34", 34, 1984), ("34 ปี", 34, 1984),
                                                  ("อายุประมาณ 20 ปี", 20, 1998), ("12", 12, 2006)])
def test_age_only_cells(raw, age, year):
    parsed = parse_date(raw, "BE", dt.date(2018, 8, 15))
    assert (parsed.value, parsed.age, parsed.year, parsed.flags) == (None, age, year, ("age_only",))
    assert date_be(raw).year is None  # no reference date, no guess


@pytest.mark.parametrize(
    ("raw", "value", "flags"),
    [
        ("2018-08-15T10:30:00+07:00", "2018-08-15T10:30:00+07:00", ()),
        ("2018-08-15T03:30:00Z", "2018-08-15T03:30:00+00:00", ()),
        ("2018-08-15 10:30:05", "2018-08-15T10:30:05+07:00", ("assumed_timezone",)),
        ("2018-08-15T10:30:00.250+07:00", "2018-08-15T10:30:00.250000+07:00", ()),
        ("15/08/2561 10.30 น.", "2018-08-15T10:30:00+07:00", ("assumed_timezone",)),
        ("2018-08-15", "2018-08-15T00:00:00+07:00", ("date_only",)),
        ("2018-08-15T25:00:00+07:00", None, ("impossible_time",)),
        ("garbage", None, ("unparseable",)),
    ],
)
def test_parse_datetime(raw, value, flags):
    parsed = parse_datetime(raw)
    assert (parsed.value, parsed.flags) == (value, flags)
