"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi …`."""

import os

from ideas import create_app

app = create_app(os.environ.get("FLASK_CONFIG", "development"))
