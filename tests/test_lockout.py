"""Sign-in under parallel attempts on a real store: the lock holds, the address throttle, the audit log's names."""

import datetime as dt
import json
import threading

import pytest

from analytics.access import audit, auth
from tests.fixtures import NO_WAIT, SLOWED

NOW = dt.datetime(2022, 6, 1, 9, 0, 0)


pytestmark = pytest.mark.store(accounts={"xem": ("viewer", None, "mat-khau-dung")})


@pytest.fixture
def checked(monkeypatch):
    """Counts the passwords actually verified (the dummy hash of an unknown name included)."""
    count = {"n": 0}
    lock = threading.Lock()
    verify = auth._verify

    def counting(password_hash, password):
        with lock:
            count["n"] += 1
        return verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", counting)
    return count


def in_parallel(attempts):
    """Runs every attempt (a no-argument function) at once from its own thread; their results in order."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(i):
        barrier.wait()
        results[i] = attempts[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def throttle_row(ctx, key):
    return ctx.db.df("SELECT * FROM sign_in_throttle WHERE name_key = ?", [key])


def test_forty_parallel_wrong_guesses_check_at_most_the_limit_and_leave_a_lock(ctx, checked):
    results = in_parallel([lambda: auth.authenticate(ctx.db, "xem", "sai-mat-khau", NO_WAIT, NOW)] * 40)
    assert checked["n"] == 6
    statuses = [r.status for r in results]
    assert statuses.count("wrong") == 5 and statuses.count("locked") == 35
    row = throttle_row(ctx, "xem")
    assert row.loc[0, "locked_until"] == NOW + dt.timedelta(minutes=15)
    # the right password, a minute later, is not even checked
    assert auth.authenticate(ctx.db, "xem", "mat-khau-dung", NO_WAIT, NOW + dt.timedelta(minutes=1)).status == "locked"
    assert checked["n"] == 6
    assert len(audit.entries(ctx.db, actions=["sign_in_failed"])) == 6


def test_twelve_parallel_sign_ins_with_a_slow_down_check_only_the_first_three(ctx, checked):
    attempts = [lambda: auth.authenticate(ctx.db, "xem", "sai-mat-khau", SLOWED, NOW)] * 11
    attempts.append(lambda: auth.authenticate(ctx.db, "xem", "mat-khau-dung", SLOWED, NOW))
    statuses = [r.status for r in in_parallel(attempts)]
    assert checked["n"] <= 3
    assert statuses.count("wait") >= 9
    failures = int(throttle_row(ctx, "xem").loc[0, "failures"]) if not throttle_row(ctx, "xem").empty else 0
    assert failures <= 3


def test_attempts_in_flight_never_shorten_or_lift_a_lock(ctx, checked):
    for _ in range(6):
        auth.authenticate(ctx.db, "xem", "sai-mat-khau", NO_WAIT, NOW)
    locked_until = throttle_row(ctx, "xem").loc[0, "locked_until"]
    later = NOW + dt.timedelta(minutes=10)
    attempts = [lambda: auth.authenticate(ctx.db, "xem", "sai-mat-khau", NO_WAIT, later)] * 10
    attempts += [lambda: auth.authenticate(ctx.db, "xem", "mat-khau-dung", NO_WAIT, later)] * 2
    assert {r.status for r in in_parallel(attempts)} == {"locked"}
    assert checked["n"] == 6
    assert throttle_row(ctx, "xem").loc[0, "locked_until"] == locked_until
    after = auth.authenticate(ctx.db, "xem", "mat-khau-dung", NO_WAIT, NOW + dt.timedelta(minutes=16))
    assert after.status == "ok" and throttle_row(ctx, "xem").empty


def test_a_success_keeps_a_lock_that_a_parallel_attempt_set(ctx, monkeypatch):
    """The right password checked while the 6th wrong one already locked the name signs in, and the lock stays."""
    for _ in range(4):
        auth.authenticate(ctx.db, "xem", "sai-mat-khau", NO_WAIT, NOW)
    right_started, lock_set = threading.Event(), threading.Event()
    verify = auth._verify

    def slow_right(password_hash, password):
        if password == "mat-khau-dung":
            right_started.set()
            lock_set.wait(30)
        return verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", slow_right)
    result = {}
    right = threading.Thread(
        target=lambda: result.update(ok=auth.authenticate(ctx.db, "xem", "mat-khau-dung", NO_WAIT, NOW))
    )
    right.start()
    right_started.wait(30)
    assert auth.authenticate(ctx.db, "xem", "sai-mat-khau", NO_WAIT, NOW).status == "locked"  # the 6th
    lock_set.set()
    right.join(30)
    assert result["ok"].status == "ok"
    assert throttle_row(ctx, "xem").loc[0, "locked_until"] == NOW + dt.timedelta(minutes=15)


def test_one_password_across_many_names_from_one_address_is_slowed(ctx, checked):
    settings = auth.AuthSettings(address_slow_after_failures=10, slow_down_seconds=5, address_forget_minutes=15)
    statuses = [
        auth.authenticate(ctx.db, f"ten-{i:02d}", "Mat-khau-2022", settings, NOW, address="203.0.113.7").status
        for i in range(14)
    ]
    assert statuses == ["wrong"] * 10 + ["wait"] * 4
    assert checked["n"] == 10
    # another address is not slowed by it, and the first is forgiven after a quiet quarter hour
    assert auth.authenticate(ctx.db, "ten-99", "x", settings, NOW, address="198.51.100.2").status == "wrong"
    later = NOW + dt.timedelta(minutes=16)
    assert auth.authenticate(ctx.db, "ten-50", "x", settings, later, address="203.0.113.7").status == "wrong"
    # a right password from an office's shared address does not count against it
    for i in range(12):
        assert (
            auth.authenticate(
                ctx.db, "xem", "mat-khau-dung", settings, later + dt.timedelta(seconds=i), address="192.0.2.1"
            ).status
            == "ok"
        )


def test_parallel_names_from_one_address_check_at_most_the_address_limit(ctx, checked):
    settings = auth.AuthSettings(address_slow_after_failures=10, slow_down_seconds=5)
    in_parallel(
        [
            lambda i=i: auth.authenticate(ctx.db, f"ten-{i:02d}", "Mat-khau-2022", settings, NOW, address="203.0.113.7")
            for i in range(30)
        ]
    )
    assert checked["n"] == 10


def test_an_unknown_name_is_never_stored_as_typed(ctx):
    typed_password = "MatKhau-Bi-Mat-2022"
    auth.authenticate(ctx.db, typed_password, "x", NO_WAIT, NOW)
    auth.authenticate(ctx.db, "xem", "sai-mat-khau", NO_WAIT, NOW)
    log = audit.entries(ctx.db)
    text = " ".join(log["detail"].fillna(""))
    assert typed_password.lower() not in text.lower()
    assert '"account": "xem"' in text  # a real account keeps its name
    assert "tên không có tài khoản" in text
    # the same name twice gives the same fingerprint (an admin can still see one name being tried)
    auth.authenticate(ctx.db, typed_password, "y", NO_WAIT, NOW)
    names = [
        json.loads(d)["account"]
        for d in audit.entries(ctx.db, actions=["sign_in_failed"])["detail"]
        if "tài khoản" in d
    ]
    assert len(names) == 2 and names[0] == names[1]


def test_a_huge_sign_in_name_never_reaches_the_store(ctx, checked):
    before = ctx.db.path.stat().st_size
    result = auth.authenticate(ctx.db, "a" * (16 * 1024 * 1024), "x", NO_WAIT, NOW)
    assert result.status == "wrong" and checked["n"] == 1  # as slow as any wrong password
    assert throttle_row(ctx, "a" * 64).empty
    assert ctx.db.scalar("SELECT max(length(detail)) FROM audit_log") < 200
    assert ctx.db.scalar("SELECT count(*) FROM sign_in_throttle") == 0
    assert ctx.db.path.stat().st_size - before < 1024 * 1024


def test_the_right_password_as_the_last_allowed_attempt_signs_in_and_lifts_its_own_lock(ctx):
    for _ in range(5):
        auth.authenticate(ctx.db, "xem", "sai-mat-khau", NO_WAIT, NOW)
    assert auth.authenticate(ctx.db, "xem", "mat-khau-dung", NO_WAIT, NOW).status == "ok"
    assert throttle_row(ctx, "xem").empty
