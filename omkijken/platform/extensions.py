"""The Flask extensions, created once and bound to an app in ``create_app``."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def per_account() -> str:
    """A rate-limit key for one account, wherever it logs in from (many accounts share an address
    behind a gemeente's proxy; one person has many addresses on a phone)."""
    if getattr(current_user, "is_authenticated", False):
        return f"account:{current_user.id}"
    return get_remote_address()
