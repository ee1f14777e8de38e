"""The prikbord as a list and as a map, filtered."""

from flask import Blueprint

bp = Blueprint("prikbord", __name__)
