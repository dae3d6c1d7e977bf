"""The pure logic behind the load benchmark's and the drills' verdicts (bench/drill_checks.py): no database, no
clusters. The drills themselves are `make drill-failover` and `make drill-restore` (docs/performance.md)."""

import pytest

from bench.drill_checks import (
    SaveAttempt,
    failures_outside,
    figures_line,
    lost_saves,
    lsn,
    normalise_generated,
    outage,
    parse_figures_line,
    point_in_time_check,
    wal_tail,
    zero_loss,
)

A, B, C = ("ann", "2026-11-01"), ("ann", "2026-11-02"), ("bob", "2026-11-01")


def save(key, notes, sent, answered=None, outcome="saved"):
    return SaveAttempt(key, notes, sent, sent + 0.1 if answered is None else answered, outcome)


# --- zero_loss ------------------------------------------------------------------------------------------------


def test_zero_loss_when_everything_acknowledged_is_stored():
    result = zero_loss({A: "a2", B: "b1"}, set(), {A: "a2", B: "b1"})
    assert result["lost_or_overwritten"] == 0
    assert result["stored_but_never_acknowledged"] == 0
    assert result["logs_acknowledged_as_saved"] == 2


def test_zero_loss_counts_missing_and_stale_days():
    result = zero_loss({A: "a2", B: "b1"}, set(), {A: "a1"})  # A holds an older save, B is missing
    assert result["lost_or_overwritten"] == 2


def test_zero_loss_sets_aside_days_with_an_unknown_outcome():
    result = zero_loss({A: "a2"}, {A, C}, {A: "a3", C: "c1"})
    assert result["lost_or_overwritten"] == 0
    assert result["stored_but_never_acknowledged"] == 0
    assert result["saves_with_unknown_outcome"] == 2


def test_zero_loss_counts_days_nobody_saved():
    assert zero_loss({}, set(), {C: "c1"})["stored_but_never_acknowledged"] == 1


# --- lost_saves -----------------------------------------------------------------------------------------------


def test_lost_saves_counts_acknowledged_saves_after_the_stored_one():
    attempts = [save(A, "a1", 1), save(A, "a2", 2), save(A, "a3", 3), save(B, "b1", 1)]
    assert lost_saves(attempts, {A: "a3", B: "b1"}) == 0
    assert lost_saves(attempts, {A: "a1", B: "b1"}) == 2
    assert lost_saves(attempts, {A: "a3"}) == 1  # B missing altogether


def test_lost_saves_ignores_saves_of_unknown_outcome_but_not_acknowledged_ones_before_them():
    attempts = [save(A, "a1", 1), save(A, "a2", 2, outcome="unknown")]
    assert lost_saves(attempts, {A: "a1"}) == 0  # a2 may simply never have committed
    assert lost_saves(attempts, {A: "a2"}) == 0  # or it did
    attempts = [save(A, "a1", 1), save(A, "a2", 2), save(A, "a3", 3, outcome="unknown")]
    assert lost_saves(attempts, {A: "a1"}) == 1  # a2 was acknowledged: an unknown a3 cannot explain its absence


# --- outage ---------------------------------------------------------------------------------------------------


def test_outage_runs_from_the_fault_to_the_first_good_answer_after_the_last_failure():
    timeline = [(9.0, 200), (10.1, 503), (10.5, None), (12.0, 503), (12.1, 200), (15.0, 302), (11.0, 503)]
    result = outage(timeline, fault_at=10.0)
    assert result["last_failure_s"] == 2.0
    assert result["back_s"] == 2.1
    assert result["unavailable_s"] == 2.1
    assert result["answers_during_outage"] == {"503": 3, "none": 1}


def test_outage_answers_that_arrive_just_after_the_fault_still_count_in_the_window():
    timeline = [(10.01, 302), (10.2, 503), (11.0, 200)]
    assert outage(timeline, 10.0)["answers_during_outage"] == {"302": 1, "503": 1}


def test_no_failure_after_the_fault_is_no_outage():
    result = outage([(9.0, 503), (11.0, 200)], 10.0)
    assert result["unavailable_s"] == 0.0
    assert result["answers_during_outage"] == {}


def test_an_app_that_never_comes_back_has_no_back_time():
    result = outage([(11.0, 503), (12.0, 503)], 10.0)
    assert result["back_s"] is None
    assert result["unavailable_s"] == 2.0


def test_failures_outside_a_window():
    timeline = [(1.0, 500), (5.0, 503), (6.0, None), (9.0, 503), (9.5, 200)]
    assert failures_outside(timeline, 4.0, 8.0) == {"500": 1, "503": 1}


# --- point_in_time_check --------------------------------------------------------------------------------------

BEFORE, AFTER = 100.0, 100.5  # the target lies between these two wall-clock times


def test_restore_to_the_target_keeps_the_last_save_before_it_and_nothing_after():
    attempts = [
        save(A, "a1", 90),
        save(A, "a2", 95),  # the last acknowledged before the target
        save(A, "a3", 101),  # after the target
        save(B, "b1", 102),  # a day first logged after the target: must be absent
    ]
    result = point_in_time_check(attempts, {A: "a2"}, BEFORE, AFTER)
    assert result["saves_acknowledged_before_target"] == 2
    assert result["saves_sent_after_target"] == 2
    assert result["days_as_expected"] == 2
    assert result["days_lost_or_wrong"] == result["days_from_after_target"] == 0


def test_a_save_from_after_the_target_is_caught():
    attempts = [save(A, "a1", 90), save(A, "a2", 101)]
    result = point_in_time_check(attempts, {A: "a2"}, BEFORE, AFTER)
    assert result["days_from_after_target"] == 1


def test_a_lost_or_older_save_is_caught():
    attempts = [save(A, "a1", 90), save(A, "a2", 95), save(B, "b1", 96)]
    result = point_in_time_check(attempts, {A: "a1"}, BEFORE, AFTER)
    assert result["days_lost_or_wrong"] == 2  # A holds an older save, B is missing


def test_a_save_straddling_the_target_may_be_either_way():
    attempts = [save(A, "a1", 90), save(A, "a2", 99.95, answered=100.2)]
    for stored in ({A: "a1"}, {A: "a2"}):
        result = point_in_time_check(attempts, stored, BEFORE, AFTER)
        assert result["days_as_expected"] == 1
        assert result["saves_either_side"] == 1


def test_an_unknown_outcome_before_the_target_may_be_either_way_but_not_one_overwritten_since():
    attempts = [save(A, "a1", 90, outcome="unknown"), save(A, "a2", 95)]
    assert point_in_time_check(attempts, {A: "a1"}, BEFORE, AFTER)["days_lost_or_wrong"] == 1
    attempts = [save(A, "a1", 90), save(A, "a2", 95, outcome="unknown")]
    assert point_in_time_check(attempts, {A: "a1"}, BEFORE, AFTER)["days_as_expected"] == 1
    assert point_in_time_check(attempts, {A: "a2"}, BEFORE, AFTER)["days_as_expected"] == 1


def test_refused_saves_are_never_expected():
    attempts = [save(A, "a1", 90, outcome="refused")]
    assert point_in_time_check(attempts, {A: "a1"}, BEFORE, AFTER)["days_lost_or_wrong"] == 1
    assert point_in_time_check(attempts, {}, BEFORE, AFTER)["days_as_expected"] == 1


def test_a_stored_day_nobody_saved_is_caught():
    result = point_in_time_check([save(A, "a1", 90)], {A: "a1", C: "c1"}, BEFORE, AFTER)
    assert result["days_never_saved_but_stored"] == 1


# --- normalise_generated --------------------------------------------------------------------------------------


def test_only_the_generation_time_is_normalised():
    one = b'{\n "format": "bfs-tracker-backup",\n "exported_at": "2026-11-25T16:14:44+00:00",\n "logs": []\n}'
    two = one.replace(b"16:14:44", b"16:20:01")
    assert one != two
    assert normalise_generated("json", one) == normalise_generated("json", two)
    changed = two.replace(b'"logs": []', b'"logs": [1]')
    assert normalise_generated("json", one) != normalise_generated("json", changed)


def test_fhir_bundle_timestamp_is_normalised_and_csv_is_compared_as_is():
    bundle = b'{"resourceType": "Bundle", "timestamp": "2026-11-25T16:14:44+00:00", "entry": []}'
    assert b"<generated>" in normalise_generated("fhir", bundle)
    assert normalise_generated("csv", b"date,notes\r\n") == b"date,notes\r\n"


@pytest.mark.parametrize("count", [0, 2])
def test_normalising_fails_loudly_unless_the_field_is_there_exactly_once(count):
    content = b"{" + b", ".join([b'"exported_at": "x"'] * count) + b"}"
    with pytest.raises(ValueError, match="exported_at"):
        normalise_generated("json", content)


# --- WAL and figures ------------------------------------------------------------------------------------------


def test_lsn_is_a_byte_position():
    assert lsn("0/3025AA0") == 0x3025AA0
    assert lsn("1/0") == 1 << 32
    assert lsn("0/358DC78") - lsn("0/3557770") == 222472


def test_wal_tail_reads_the_end_of_wal_and_counts_commits():
    output = (
        "rmgr: Heap        len (rec/tot):     59/    59, tx:        724, lsn: 0/030258C8, prev 0/03025888, "
        "desc: INSERT off 96\n"
        "rmgr: Transaction len (rec/tot):    405/   405, tx:        724, lsn: 0/03025908, prev 0/030258C8, "
        "desc: COMMIT 2026-11-25 16:04:49.042551 UTC; inval msgs: catcache 80\n"
        "pg_waldump: error: error in WAL record at 0/3025908: invalid record length at 0/3025AA0: wanted 24, got 0\n"
    )
    assert wal_tail(output) == {"end_lsn": "0/3025AA0", "commits": 1}


def test_wal_tail_when_nothing_follows_the_start():
    output = "pg_waldump: error: could not find a valid record after 0/358DC78\n"
    assert wal_tail(output) == {"end_lsn": "0/358DC78", "commits": 0}


def test_figures_line_round_trip():
    line = figures_line("drill-failover", "FAIL: sync: lost", [("sync_saves_lost", 0), ("sync_unavailable_s", 7.76)])
    assert line == "drill-failover FAIL: sync_saves_lost=0 sync_unavailable_s=7.76"
    assert parse_figures_line(line) == {
        "drill": "drill-failover",
        "verdict": "FAIL",
        "sync_saves_lost": "0",
        "sync_unavailable_s": "7.76",
    }


@pytest.mark.django_db
def test_the_load_generator_edits_the_day_form_not_the_quiet_day_form(client, user):
    """The day page has two forms that post to the same address; the load runs and `make bench` must send the day
    form's fields (notes, twitch rows), or every "edit" they make is a quiet day and the zero-loss count fails."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from loadkit import DAY_FORM, form_fields
    finally:
        sys.path.pop(0)

    client.force_login(user)
    path = "/days/2026-11-20/"
    names = [name for name, _ in form_fields(client.get(path).content.decode(), path, DAY_FORM)]
    assert "notes" in names
    assert "twitches-TOTAL_FORMS" in names
    assert "quiet" not in names
