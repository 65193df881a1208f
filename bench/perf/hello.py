"""The machine's limit: a hello-world Flask app, served by the same gunicorn settings as the
app (gunicorn.conf.py, same workers) and driven by the same wrk script (cookies, headers)."""

from flask import Flask

app = Flask(__name__)


@app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
@app.route("/<path:path>", methods=["GET", "POST"])
def hello(path: str) -> str:
    return "Hello, world!"
