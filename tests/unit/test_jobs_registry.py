"""The jobs registry: one entry per job, so beat, tasks and CLI cannot drift apart."""

from __future__ import annotations

from omkijken.platform.jobs import JOBS


def test_names_are_unique_where_they_must_be():
    for key in ("name", "beat"):
        values = [getattr(job, key) for job in JOBS]
        assert len(values) == len(set(values)), key
    commands = [job.command.name for job in JOBS if job.command]
    assert len(commands) == len(set(commands))


def test_the_task_name_is_the_job_name_under_omkijken():
    assert {job.task for job in JOBS} >= {"omkijken.follow_ups", "omkijken.wachtlijst_rapport"}
