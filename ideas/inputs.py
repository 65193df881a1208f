"""Text that no form or filter could have sent is refused at the door, the same way on SQLite
and PostgreSQL: a NUL character (PostgreSQL refuses it in text columns, SQLite would store it)
or bytes that are not UTF-8 (a lone surrogate included), in the query string or in a form.
Werkzeug would quietly turn bad bytes into U+FFFD; we answer 400 with a message instead."""

import uuid
from urllib.parse import unquote_to_bytes

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l

BAD_TEXT = _l("La requête contient des caractères non valides (caractère nul ou encodage "
              "incorrect). Corrigez le texte envoyé et réessayez.")
_FORM = "application/x-www-form-urlencoded"


def _bad(raw: bytes) -> bool:
    """True if an urlencoded string holds a NUL or does not decode as UTF-8 (strict)."""
    for pair in raw.split(b"&"):
        for part in pair.split(b"=", 1):
            value = unquote_to_bytes(part.replace(b"+", b" "))
            if b"\x00" in value:
                return True
            try:
                value.decode("utf-8")
            except UnicodeDecodeError:
                return True
    return False


def bad_text_in_request() -> bool:
    if _bad(request.query_string):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.mimetype == _FORM:
        # Cached: the form is then parsed from these same bytes (Werkzeug reuses them).
        return _bad(request.get_data(cache=True))
    # Multipart (file import): the values as parsed; the files are checked by their importer.
    return any("\x00" in value for value in request.form.values())


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_bad_text():
        if bad_text_in_request():
            from ideas.errors import render_error

            # This runs before errors.py assigns the correlation id: the page needs one.
            g.request_id = g.get("request_id") or uuid.uuid4().hex[:12]
            return render_error(400, BAD_TEXT)
