"""What every bench needs first: an app on a fresh SQLite file or a given database, migrated,
with the CBS areas imported."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask import Flask


def migrated_app(database_url: str | None, **config: Any) -> Flask:
    from flask_migrate import upgrade

    from omkijken.platform import create_app
    from omkijken.platform.areas import services as areas
    from omkijken.platform.extensions import db

    instance = Path(tempfile.mkdtemp(prefix="omkijken-bench-"))
    settings = {"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench", **config}
    if database_url:
        settings["SQLALCHEMY_DATABASE_URI"] = database_url
    app = create_app(settings)
    with app.app_context():
        upgrade()
        if areas.wijk_by_code("WK082806") is None:
            areas.import_features([f for p in areas.BUNDLED_FILES for f in areas.load_geojson(p)])
            db.session.commit()  # services flush; a command commits its own work (DESIGN.md, Transactions)
    return app
