"""The embedded default needs no settings; OMKIJKEN_* variables override it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from omkijken.platform.config import MAX_SOCKET_PATH, from_environment, socket_path
from omkijken.platform.system.broker import celery_settings, make_sender


def test_embedded_default(tmp_path, monkeypatch):
    for name in ("OMKIJKEN_DATABASE_URL", "OMKIJKEN_REDIS_URL", "OMKIJKEN_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)

    config = from_environment(tmp_path)

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'omkijken.sqlite'}"
    assert config["REDIS_URL"] is None and config["RATELIMIT_STORAGE_URI"] == "memory://"
    # The embedded broker: redis-server on a socket in the instance folder, not REDIS_URL.
    assert config["BROKER_SOCKET"] == str(tmp_path.resolve() / "broker" / "redis.sock")
    assert celery_settings(config)["broker_url"] == f"redis+socket://{tmp_path.resolve()}/broker/redis.sock"
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not config["SESSION_COOKIE_SECURE"]


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("OMKIJKEN_SECRET_KEY", raising=False)

    first = from_environment(tmp_path)["SECRET_KEY"]
    second = from_environment(tmp_path)["SECRET_KEY"]

    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_production_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OMKIJKEN_DATABASE_URL", "postgresql+psycopg://u@db/omkijken")
    monkeypatch.setenv("OMKIJKEN_REDIS_URL", "redis://redis:6379/0")
    monkeypatch.setenv("OMKIJKEN_SECRET_KEY", "s3cret")
    monkeypatch.setenv("OMKIJKEN_BEHIND_TLS", "true")
    monkeypatch.setenv("OMKIJKEN_TILE_URL", "https://tiles.example/{z}/{x}/{y}.png")

    config = from_environment(tmp_path)

    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/omkijken"
    assert config["SECRET_KEY"] == "s3cret" and not (tmp_path / "secret_key").exists()
    assert celery_settings(config)["broker_url"] == "redis://redis:6379/0"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://redis:6379/0"
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    assert config["TILE_URL"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert config["PROXY_COUNT"] == 0


def test_both_brokers_share_the_transport_settings_and_the_sender_tries_once(tmp_path, monkeypatch):
    monkeypatch.delenv("OMKIJKEN_REDIS_URL", raising=False)
    embedded = from_environment(tmp_path)
    production = {**embedded, "REDIS_URL": "redis://redis:6379/0"}

    for config in (embedded, production):
        options = celery_settings(config)["broker_transport_options"]
        assert options["visibility_timeout"] == 3600 and options["unacked_restore_interval"] == 60
        sender = make_sender(config)
        assert sender.conf.broker_transport_options["max_retries"] == 0
    assert make_sender(production).conf.broker_url == "redis://redis:6379/0"


def test_a_socket_path_too_long_for_unix_moves_to_the_temp_folder():
    short = Path("/srv/omkijken/instance")
    assert socket_path(short) == short / "broker" / "redis.sock"

    deep = Path("/srv/" + "een-heel-lange-mapnaam/" * 5 + "instance")
    moved = socket_path(deep)
    assert moved.parent == Path(tempfile.gettempdir()) and moved.name.startswith("omkijken-")
    assert len(os.fsencode(moved)) <= MAX_SOCKET_PATH
    # Web, worker and beat of one instance find the same socket; another instance has its own.
    assert socket_path(deep) == moved and socket_path(deep / "ander") != moved
