"""The security log (SECURITY-CHECKLIST item 58; ASVS 7.1.1–7.3.1): logins and their failures,
logouts, password changes and resets, ended sessions, access denials, CSRF failures, rate
limits (429), status changes of ideas and every download (export).

One line per event on the `ideas.security` logger, as `key=value` pairs:
    security event=login.failure at=2026-03-02T09:14:05Z user=- ip=203.0.113.7 ...
- `at` is UTC whatever the server's clock zone; `ip` is the client's (behind a reverse proxy,
  set TRUSTED_PROXIES so ProxyFix reads X-Forwarded-For);
- values are escaped: CR, LF and every other control or invisible character become `\\uXXXX`,
  and a value with a space, a quote or `=` is quoted, so a name typed as
  "x\\r\\nsecurity event=login.success" cannot forge a line or a field;
- no secret: never a password, a token, a cookie or a query string; the route is its pattern
  (`/mot-de-passe/reinitialiser/<token>`), never the URL; a login typed at a failed attempt
  is logged as a short hash (a password typed in the email field must not land in the log).
"""

import hashlib
import logging
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user

log = logging.getLogger("ideas.security")

_NEEDS_QUOTES = set(' "=\\')


def _escape(value) -> str:
    text = "-" if value is None else str(value)
    escaped, changed = [], False
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
            changed = True
        elif not char.isprintable():
            escaped.append(f"\\u{ord(char):04x}")
            changed = True
        else:
            escaped.append(char)
    text = "".join(escaped)
    if changed or not text or _NEEDS_QUOTES & set(text):
        return f'"{text}"'
    return text


def login_fingerprint(login: str | None) -> str:
    """Ties failed attempts on one login together without writing what was typed."""
    return hashlib.sha256((login or "").strip().lower().encode()).hexdigest()[:12]


def _user_id():
    try:
        return current_user.id if current_user.is_authenticated else None
    except Exception:  # no user loader context (CLI), or the database is down
        return None


def security_event(event: str, **fields) -> None:
    entries = {"event": event,
               "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    if has_request_context():
        entries.update(user=fields.pop("user", None) or _user_id(), ip=request.remote_addr,
                       method=request.method,
                       route=request.url_rule.rule if request.url_rule else "-",
                       request_id=g.get("request_id"))
        g.security_logged = True
    entries.update(fields)
    log.info("security " + " ".join(f"{key}={_escape(value)}" for key, value in entries.items()))


def _log_response(response):
    """What is best seen from the response: denials no check logged, 429s, downloads."""
    if request.endpoint == "static":
        return response
    if response.status_code in (401, 403) and not g.get("security_logged"):
        security_event("access.denied", status=response.status_code)
    elif response.status_code == 429:
        security_event("rate_limited", endpoint=request.endpoint, limit=g.get("rate_limit"))
    elif (response.status_code == 200
          and response.headers.get("Content-Disposition", "").startswith("attachment")):
        security_event("export", endpoint=request.endpoint,
                       file=response.headers["Content-Disposition"].partition("filename=")[2]
                       .strip('"'))
    return response


def _idea_moved(change, idea=None, actor=None, **_extra) -> None:
    security_event("idea.status", idea=getattr(idea, "id", None),
                   user=getattr(actor, "id", None),
                   from_status=change.from_status, to_status=change.to_status)


def register(app: Flask) -> None:
    from ideas.workflow.signals import idea_moved

    app.after_request(_log_response)
    idea_moved.connect(_idea_moved, weak=False)
