"""Idea pages: post (with preview), show, edit, withdraw, lists."""

from flask import Blueprint

blueprint = Blueprint("ideation", __name__)
