"""The gemeente's side: the intake queue, one aanvraag with its completeness check, questions,
advice, the decision, accountability; regelingen and their pots; the figures and the exports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("subsidies_gemeente", __name__)
