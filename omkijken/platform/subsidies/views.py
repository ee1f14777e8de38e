"""The initiator's side of a subsidieaanvraag: apply from the initiatief, draft, submit, answer
questions, attachments, the decision letter, accountability."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("subsidies", __name__)
