"""The embedded default needs no settings; OMKIJKEN_* variables override it."""

from __future__ import annotations

from omkijken.platform.config import from_environment
from omkijken.platform.system.broker import celery_settings


def test_embedded_default(tmp_path, monkeypatch):
    for name in ("OMKIJKEN_DATABASE_URL", "OMKIJKEN_REDIS_URL", "OMKIJKEN_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)

    config = from_environment(tmp_path)

    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'omkijken.sqlite'}"
    assert config["REDIS_URL"] is None and config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert celery_settings(config)["broker_url"] == "filesystem://"
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
