"""The activity calendar per wijk and gemeente, its iCalendar feed, and the sociale kaart."""

from flask import Blueprint

bp = Blueprint("agenda", __name__)
