"""Support toggles (htmx, and plain form posts without JavaScript)."""

from flask import Blueprint

blueprint = Blueprint("votes", __name__)
