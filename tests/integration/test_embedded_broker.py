"""The embedded default's broker: redis-server on a Unix socket in the instance folder."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import redis

from omkijken.platform.system.broker import BrokerBusy, EmbeddedBroker, make_sender
from tests.support import require


@pytest.fixture
def broker(tmp_path: Path):
    made = EmbeddedBroker(tmp_path / "instance")
    require(made.binary is not None, "redis-server (Debian-pakket redis-server)")
    yield made
    made.stop()


def queued(broker: EmbeddedBroker) -> int:
    with redis.Redis(unix_socket_path=str(broker.socket)) as client:
        return client.llen("celery")


def test_a_queued_task_survives_a_restart_of_the_broker(broker):
    broker.start()
    assert broker.socket == broker.folder / "redis.sock" and broker.socket.stat().st_mode & 0o777 == 0o700
    sender = make_sender({"BROKER_SOCKET": str(broker.socket)})
    sender.send_task("omkijken.heartbeat", retry=False)
    assert queued(broker) == 1

    broker.stop()
    assert not broker.answers()
    broker.start()

    assert queued(broker) == 1, "de taak in de wachtrij is weg na een herstart"


def test_the_sender_fails_at_once_when_the_broker_is_not_there(broker):
    sender = make_sender({"BROKER_SOCKET": str(broker.socket)})
    started = time.monotonic()
    with pytest.raises(Exception):
        sender.send_task("omkijken.heartbeat", retry=False)
    assert time.monotonic() - started < 1.0


def test_a_second_broker_on_the_same_socket_is_refused(broker):
    broker.start()
    with pytest.raises(BrokerBusy, match="Draait 'omkijken run' al"):
        EmbeddedBroker(broker.folder.parent).prepare()
    assert broker.answers()


def test_an_instance_path_too_long_for_a_socket_still_gets_a_broker(tmp_path: Path):
    deep = tmp_path.joinpath(*["een-heel-diepe-map"] * 6, "instance")
    broker = EmbeddedBroker(deep)
    require(broker.binary is not None, "redis-server (Debian-pakket redis-server)")
    try:
        broker.start()
        assert broker.answers() and not str(broker.socket).startswith(str(deep))
        assert (deep / "broker" / "appendonlydir").is_dir()  # the data stays in the instance folder
    finally:
        broker.stop()
