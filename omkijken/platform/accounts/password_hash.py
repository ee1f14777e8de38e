"""Password hashes, in one place so their cost is one setting.

Werkzeug's scrypt takes about a tenth of a second per hash on purpose: that is what makes a stolen
table slow to crack. The test suite hashes thousands of passwords, so its apps set
``PASSWORD_HASH_METHOD`` to a cheap method; production keeps scrypt (config.py has no variable for it).
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_matches(password_hash: str, password: str | None) -> bool:
    return check_password_hash(password_hash, password or "")


def spend_one_check(password: str | None) -> None:
    """Check against a dummy hash, so an unknown e-mail costs as long as a wrong password."""
    password_matches(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("omkijken-dummy-password", method=method)
