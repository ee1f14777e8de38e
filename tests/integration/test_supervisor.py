"""`omkijken run`'s supervisor with real (tiny) processes: an exit is logged and restarted after its
pause, and stopping goes in reverse order. The decisions themselves are in tests/unit/test_supervisor.py."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from omkijken.platform.system.supervisor import Child, Supervisor
from tests.support import wait_for


def test_a_child_that_exits_is_logged_and_started_again_after_its_pause(caplog):
    clock = [100.0]
    child = Child("kort", [sys.executable, "-c", "import sys; sys.exit(3)"])
    supervisor = Supervisor([child], clock=lambda: clock[0])
    caplog.set_level(logging.INFO, logger="omkijken.platform.system.supervisor")
    supervisor.start()
    first = child.process
    first.wait(timeout=30)

    supervisor.check(now=100.5)
    assert "kort stopte onverwacht (exitcode 3) na 0 s; herstart over 1 s" in caplog.text
    supervisor.check(now=101.4)
    assert child.process is first, "herstart voor de pauze om was"

    clock[0] = 101.5
    supervisor.check(now=101.5)
    assert child.process is not first and "kort herstart" in caplog.text
    child.process.wait(timeout=30)
    supervisor.check(now=102.0)
    assert child.life.failures == 2 and child.life.restart_at == 104.0  # 2 s this time
    supervisor.stop()


def test_children_stop_in_reverse_order(tmp_path: Path):
    stopped = tmp_path / "gestopt"
    script = (
        "import pathlib, signal, sys, time\n"
        "name = sys.argv[1]\n"
        f"out = pathlib.Path({str(stopped)!r})\n"
        "def stop(*_):\n"
        "    with out.open('a') as f: f.write(name + '\\n')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        f"pathlib.Path({str(tmp_path)!r}, name).touch()\n"
        "time.sleep(60)\n"
    )

    def ready(name: str):
        return lambda _process: wait_for(lambda: (tmp_path / name).exists(), timeout=30, what=f"{name} klaar")

    names = ["broker", "worker", "beat"]
    supervisor = Supervisor([Child(name, [sys.executable, "-c", script, name], ready=ready(name)) for name in names])
    supervisor.start()
    supervisor.stop()

    assert stopped.read_text().split() == ["beat", "worker", "broker"]
    assert all(child.process.returncode == 0 for child in supervisor.children)
