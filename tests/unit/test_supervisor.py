"""The restart decisions of `omkijken run`'s supervisor, without processes: time is passed in."""

from __future__ import annotations

from omkijken.platform.system.supervisor import Life, RestartPolicy, describe_exit

POLICY = RestartPolicy()


def crash_loop(times: int, *, runs_for: float = 0.5) -> list[float]:
    """A child that exits ``runs_for`` seconds after every start: the pauses before its restarts."""
    life, now, pauses = Life(started_at=0.0), 0.0, []
    for _ in range(times):
        now += runs_for
        life = POLICY.exited(life, now)
        pauses.append(life.restart_at - now)
        assert not POLICY.due(life, life.restart_at - 0.01) and POLICY.due(life, life.restart_at)
        now = life.restart_at
        life = POLICY.started(life, now)
    return pauses


def test_a_child_that_keeps_dying_waits_twice_as_long_each_time_up_to_a_minute():
    assert crash_loop(9) == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_child_that_ran_a_minute_starts_the_backoff_again():
    life = Life(started_at=0.0, failures=6)
    assert POLICY.exited(life, now=59.9).failures == 7
    after_a_minute = POLICY.exited(life, now=60.0)
    assert after_a_minute.failures == 1 and after_a_minute.restart_at == 61.0


def test_a_running_child_is_never_due():
    life = POLICY.started(Life(started_at=0.0, failures=3, restart_at=5.0), now=5.0)
    assert life.restart_at is None and not POLICY.due(life, now=1e9)
    assert life.failures == 3  # only a minute of running forgives the failures


def test_exit_codes_name_the_signal():
    assert describe_exit(1) == "exitcode 1"
    assert describe_exit(-9) == "exitcode -9 (SIGKILL)"
