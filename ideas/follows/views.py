"""Follow and unfollow ideas and communities."""

from flask import Blueprint

blueprint = Blueprint("follows", __name__)
