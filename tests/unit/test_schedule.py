"""core.schedule: working hours in people's own zones, refresh dates, nudge times, snooze phrases, waves."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.assessment import AssessmentRuleError
from core.schedule import (
    FixedClock,
    NudgePolicy,
    ScheduleConfigError,
    ScheduleSettings,
    WorkingHours,
    is_allowed,
    next_allowed,
    nudge_due,
    parse_days,
    refresh_plan,
    zone,
)
from core.snooze import parse_snooze, snooze_until
from core.waves import WaveSpecError, parse_waves, per_day, wave_days, wave_of

SH, BER, LA = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin"), ZoneInfo("America/Los_Angeles")
HOURS = WorkingHours()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("tz", [SH, BER, LA], ids=lambda z: z.key)
def test_friday_evening_moves_to_monday_morning_local(tz):
    friday_evening = datetime(2026, 3, 13, 18, 30, tzinfo=tz)
    got = next_allowed(friday_evening, tz, HOURS).astimezone(tz)
    assert (got.date(), got.time()) == (date(2026, 3, 16), time(9))
    assert got.weekday() == 0


@pytest.mark.parametrize("tz", [SH, BER, LA], ids=lambda z: z.key)
def test_inside_hours_is_kept_and_early_morning_waits_for_nine(tz):
    inside = datetime(2026, 3, 11, 10, 15, tzinfo=tz)
    assert next_allowed(inside, tz, HOURS) == inside
    early = datetime(2026, 3, 11, 6, 0, tzinfo=tz)
    assert next_allowed(early, tz, HOURS) == datetime(2026, 3, 11, 9, 0, tzinfo=tz)
    at_close = datetime(2026, 3, 11, 17, 0, tzinfo=tz)  # the end is exclusive
    assert next_allowed(at_close, tz, HOURS) == datetime(2026, 3, 12, 9, 0, tzinfo=tz)


def test_one_utc_instant_lands_differently_per_zone():
    # Wednesday 2026-03-11 02:00 UTC: 10:00 in Shanghai (allowed), 03:00 in Berlin, Tuesday 19:00 in LA.
    instant = utc(2026, 3, 11, 2, 0)
    assert next_allowed(instant, SH, HOURS) == instant
    assert next_allowed(instant, BER, HOURS) == datetime(2026, 3, 11, 9, tzinfo=BER)
    assert next_allowed(instant, LA, HOURS) == datetime(2026, 3, 11, 9, tzinfo=LA)


@pytest.mark.parametrize(("tz", "day"), [(BER, date(2026, 3, 30)), (LA, date(2026, 3, 9))],
                         ids=["berlin-spring-forward", "la-spring-forward"])
def test_daylight_saving_change_keeps_nine_local(tz, day):
    sunday_night = datetime.combine(day - timedelta(days=1), time(23), tzinfo=tz)
    got = next_allowed(sunday_night, tz, HOURS).astimezone(tz)
    assert (got.date(), got.hour, got.minute) == (day, 9, 0)


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)),
       st.sampled_from([SH, BER, LA, ZoneInfo("UTC"), ZoneInfo("Pacific/Kiritimati")]))
def test_next_allowed_is_the_earliest_working_instant(naive, tz):
    instant = naive.replace(tzinfo=UTC)
    got = next_allowed(instant, tz, HOURS)
    local = got.astimezone(tz)
    assert got >= instant
    assert local.weekday() < 5 and time(9) <= local.time() < time(17)
    assert is_allowed(got, tz, HOURS)
    if got > instant:  # nothing earlier was allowed: either we waited for 09:00 or came from outside hours
        assert local.time() == time(9) or got - instant < timedelta(minutes=1)
        assert not is_allowed(instant, tz, HOURS)


def test_custom_working_days_and_hours():
    hours = WorkingHours.from_config({"start": "10:00", "end": "16:00", "days": "sun-thu"})
    assert hours.days == frozenset({6, 0, 1, 2, 3})
    friday = datetime(2026, 3, 13, 12, tzinfo=SH)
    assert next_allowed(friday, SH, hours) == datetime(2026, 3, 15, 10, tzinfo=SH)


@pytest.mark.parametrize(("raw", "words"), [
    ({"start": "17:00", "end": "09:00"}, "must be before end"),
    ({"start": "9am"}, "write HH:MM"),
    ({"days": "mon-xyz"}, "not a weekday"),
    ({"lunch": "12:00"}, "unknown key"),
])
def test_bad_working_hours_name_the_setting(raw, words):
    with pytest.raises(ScheduleConfigError, match=words):
        WorkingHours.from_config(raw)


def test_parse_days_forms():
    assert parse_days("mon-fri") == frozenset(range(5))
    assert parse_days(["mon", "wed", 4]) == frozenset({0, 2, 4})
    assert parse_days("fri-mon") == frozenset({4, 5, 6, 0})


# --- refresh ----------------------------------------------------------------------------------------------

def test_refresh_plan_18_months_with_30_and_7_day_reminders():
    rp = refresh_plan(date(2025, 1, 10), 18)
    assert rp.due_on == date(2026, 7, 10)
    assert [(d, day) for d, day, _ in rp.reminders] == [(30, date(2026, 6, 10)), (7, date(2026, 7, 3))]
    assert rp.due_at == utc(2026, 7, 10, 9)


def test_reminder_on_a_weekend_comes_the_friday_before():
    # 2025-03-15 + 12 months = 2026-03-15 (Sunday); 7 days before is Sunday 2026-03-08 -> Friday 03-06.
    rp = refresh_plan(date(2025, 3, 15), 12, reminder_days=(7,), tz=BER, at=time(9, 30))
    (_, day, at), = rp.reminders
    assert day == date(2026, 3, 6)
    assert at == datetime(2026, 3, 6, 9, 30, tzinfo=BER)


def test_month_end_is_clamped():
    assert refresh_plan(date(2025, 8, 31), 18).due_on == date(2027, 2, 28)


@pytest.mark.parametrize("months", [11, 25, 0, -3])
def test_refresh_interval_outside_12_24_is_a_clear_error(months):
    with pytest.raises(AssessmentRuleError, match="12-24"):
        refresh_plan(date(2025, 1, 10), months)


# --- nudges -----------------------------------------------------------------------------------------------

POLICY = NudgePolicy(after_days=3, max_nudges=2)


def test_nudge_after_three_days_inside_local_hours():
    last = datetime(2026, 3, 11, 16, 30, tzinfo=SH)  # Wednesday
    due = nudge_due(last_activity=last, last_nudge=None, nudges_sent=0, snoozed_until=None, policy=POLICY,
                    tz=SH)
    assert due == datetime(2026, 3, 16, 9, tzinfo=SH)  # Sat 16:30 -> Monday 09:00


def test_next_nudge_counts_from_the_previous_one_and_stops_at_the_limit():
    last = utc(2026, 3, 2, 10)
    first = utc(2026, 3, 5, 10)
    due = nudge_due(last_activity=last, last_nudge=first, nudges_sent=1, snoozed_until=None, policy=POLICY,
                    tz=ZoneInfo("UTC"))
    assert due == utc(2026, 3, 9, 9)  # Sun 10:00 -> Monday 09:00
    assert nudge_due(last_activity=last, last_nudge=first, nudges_sent=2, snoozed_until=None, policy=POLICY,
                     tz=ZoneInfo("UTC")) is None


def test_snooze_is_honoured_past_the_limit_but_never_earlier():
    last = utc(2026, 3, 2, 10)
    snooze = utc(2026, 3, 16, 9)
    assert nudge_due(last_activity=last, last_nudge=utc(2026, 3, 9, 9), nudges_sent=2, snoozed_until=snooze,
                     policy=POLICY, tz=ZoneInfo("UTC")) == snooze
    early = utc(2026, 3, 3, 9)
    assert nudge_due(last_activity=last, last_nudge=None, nudges_sent=0, snoozed_until=early, policy=POLICY,
                     tz=ZoneInfo("UTC")) == utc(2026, 3, 5, 10)


def test_nudge_policy_limits():
    with pytest.raises(ScheduleConfigError, match="after_days"):
        NudgePolicy(after_days=0)
    with pytest.raises(ScheduleConfigError, match=r"nudges\.max"):
        NudgePolicy(max_nudges=11)


# --- settings ---------------------------------------------------------------------------------------------

def test_settings_defaults_and_round_trip():
    cfg = ScheduleSettings.from_settings({"affected_units": ["sales"]})  # other keys are not ours
    assert (cfg.tz, cfg.reminder_days, cfg.nudges.after_days, cfg.nudges.max_nudges) == ("UTC", (30, 7), 3, 2)
    custom = ScheduleSettings.from_settings({"tz": "Europe/Berlin", "refresh": {"reminder_days": [7, 45, 7]},
                                             "nudges": {"after_days": 5, "max": 1},
                                             "working_hours": {"start": "08:30", "end": "16:00"}})
    assert custom.reminder_days == (45, 7)
    assert ScheduleSettings.from_settings(custom.to_settings()) == custom


@pytest.mark.parametrize(("raw", "words"), [
    ({"tz": "Mars/Olympus"}, "not an IANA time zone"),
    ({"refresh": {"reminder_days": "30"}}, "refresh.reminder_days"),
    ({"refresh": {"remind": [30]}}, "unknown key"),
    ({"nudges": {"after_days": "3"}}, "nudges.after_days"),
    ({"nudges": []}, "expected a mapping"),
])
def test_bad_settings_name_the_setting(raw, words):
    with pytest.raises(ScheduleConfigError, match=words):
        ScheduleSettings.from_settings(raw)


def test_unknown_zone_falls_back():
    assert zone(None).key == "UTC"
    assert zone("Not/AZone", "Asia/Shanghai").key == "Asia/Shanghai"


# --- snooze -----------------------------------------------------------------------------------------------

WED = date(2026, 3, 11)


@pytest.mark.parametrize(("phrase", "expected"), [
    ("next week", date(2026, 3, 16)),
    ("Remind me next week", date(2026, 3, 16)),
    ("tomorrow", date(2026, 3, 12)),
    ("remind me tomorrow.", date(2026, 3, 12)),
    ("下周", date(2026, 3, 16)),
    ("明天", date(2026, 3, 12)),
    ("下周再提醒我", None),  # word order we do not guess at
    ("提醒我下周", date(2026, 3, 16)),
    ("后天", date(2026, 3, 13)),
    ("in 3 days", date(2026, 3, 14)),
    ("in two weeks", date(2026, 3, 25)),
    ("3天后", date(2026, 3, 14)),
    ("两周后", date(2026, 3, 25)),
    ("friday", date(2026, 3, 13)),
    ("wednesday", date(2026, 3, 18)),  # the same weekday means next week's
    ("next friday", date(2026, 3, 20)),
    ("周五", date(2026, 3, 13)),
    ("下周三", date(2026, 3, 18)),
    ("next month", date(2026, 4, 1)),
    ("下个月", date(2026, 4, 1)),
    ("2026-04-02", date(2026, 4, 2)),
    ("2026-03-01", None),
    ("whenever", None),
    ("", None),
])
def test_parse_snooze(phrase, expected):
    assert parse_snooze(phrase, WED) == expected


def test_next_month_in_december():
    assert parse_snooze("next month", date(2026, 12, 5)) == date(2027, 1, 1)


def test_snooze_until_is_the_start_of_that_working_day_locally():
    assert snooze_until(date(2026, 3, 16), LA, HOURS) == datetime(2026, 3, 16, 9, tzinfo=LA)
    assert snooze_until(date(2026, 3, 14), LA, HOURS) == datetime(2026, 3, 16, 9, tzinfo=LA)  # a Saturday


# --- waves ------------------------------------------------------------------------------------------------

def test_waves_spec_and_matching():
    waves = parse_waves("internal:sales+internal:service, internal ,customer")
    assert waves == [frozenset({"internal:sales", "internal:service"}), frozenset({"internal"}),
                     frozenset({"customer"})]
    assert wave_of(["internal", "sales", "internal:sales"], waves) == 0
    assert wave_of(["internal", "finance"], waves) == 1
    assert wave_of(["Customer", "current"], waves) == 2
    assert wave_of(["partner"], waves) is None
    with pytest.raises(WaveSpecError, match="empty wave"):
        parse_waves("internal,,customer")


def test_wave_days_skip_weekends():
    # Start Friday 2026-03-13, 8 days apart: Fri, Sat 21 -> Mon 23, Sun 29 -> Mon 30.
    assert wave_days(date(2026, 3, 13), 3, 8, HOURS) == [date(2026, 3, 13), date(2026, 3, 23),
                                                         date(2026, 3, 30)]
    with pytest.raises(WaveSpecError):
        wave_days(date(2026, 3, 13), 2, 0, HOURS)


def test_per_day_spreads_over_working_days():
    got = per_day(list(range(7)), 3, date(2026, 3, 13), HOURS)
    assert got == [(date(2026, 3, 13), [0, 1, 2]), (date(2026, 3, 16), [3, 4, 5]), (date(2026, 3, 17), [6])]
    with pytest.raises(WaveSpecError):
        per_day([1], 0, date(2026, 3, 13), HOURS)


def test_fixed_clock_moves_only_when_told():
    clock = FixedClock(utc(2026, 1, 1))
    assert clock.now() == clock.now() == utc(2026, 1, 1)
    clock.advance(timedelta(days=2))
    assert clock.now() == utc(2026, 1, 3)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        next_allowed(datetime(2026, 1, 1, 9), SH, HOURS)
