"""Placing, editing and reading one post; 'reageer' and conversations; reporting."""

from flask import Blueprint

bp = Blueprint("posts", __name__)
