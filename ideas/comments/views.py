"""Comment, reply, edit, delete (htmx, and plain form posts without JavaScript)."""

from flask import Blueprint

blueprint = Blueprint("comments", __name__)
