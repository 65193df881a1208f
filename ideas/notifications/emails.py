"""The notification emails: one notification at once, or a digest grouped by community and idea,
each in its reader's language, HTML with a plain-text part, with a one-click unsubscribe link
(signed token: works without signing in; RFC 8058 headers) and a link to the preferences.

Rendering needs a request context for `url_for`; `flask notifications send` provides one."""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale, ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from ideas.notifications import messages
from ideas.notifications.kinds import KIND_LABELS, Frequency, Kind
from ideas.notifications.models import Notification

SUBJECT_MAX = 150
_SALT = "notifications-unsubscribe"


class BadUnsubscribeToken(Exception):
    """Forged, altered or truncated: nothing is changed."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, kinds) -> str:
    """No expiry: an unsubscribe link must keep working in an old email, and it can only ever
    turn emails off."""
    return _serializer().dumps({"u": user_id, "k": sorted(str(Kind(k)) for k in kinds)})


def read_unsubscribe_token(token: str) -> tuple[int, list[Kind]]:
    try:
        data = _serializer().loads(token)
        kinds = [Kind(k) for k in data["k"]]
        user_id = int(data["u"])
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadUnsubscribeToken(str(error)) from None
    if not kinds:
        raise BadUnsubscribeToken("no kind")
    return user_id, kinds


def public_url(path: str) -> str:
    """Links in emails are absolute, on PUBLIC_URL (the address people use, not the one the
    command happens to run on)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


@contextmanager
def _rendering(user):
    """The reader's language, and a request context for `url_for` (the command has none)."""
    if has_request_context():
        with force_locale(locale_of(user)):
            yield
        return
    with current_app.test_request_context("/"), force_locale(locale_of(user)):
        yield


def locale_of(user) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


@dataclass
class Email:
    recipient: str
    subject: str
    text: str
    html: str
    headers: dict = field(default_factory=dict)

    def headers_json(self) -> str:
        return json.dumps(self.headers, ensure_ascii=False, sort_keys=True)


def _headers(unsubscribe_link: str) -> dict:
    domain = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "localhost"
    return {
        # Kept with the row: a retried message keeps its Message-ID, so a receiving server that
        # saw it once (a crash after the SMTP server said yes) can tell it is the same.
        "Message-ID": make_msgid(domain=domain),
        "List-Unsubscribe": f"<{unsubscribe_link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _common(user, kinds) -> dict:
    unsubscribe = public_url(url_for("notifications.unsubscribe",
                                     token=unsubscribe_token(user.id, kinds)))
    return {"user": user, "unsubscribe_url": unsubscribe,
            "preferences_url": public_url(url_for("notifications.preferences")),
            "kind_labels": [str(KIND_LABELS[Kind(k)]) for k in sorted(set(kinds))]}


def item_view(notification: Notification) -> dict:
    """What an email shows of one notification."""
    return {"sentence": messages.describe(notification),
            "details": messages.details(notification),
            "url": public_url(url_for("notifications.open", notification_id=notification.id)),
            "created_at": notification.created_at}


def notification_email(notification: Notification) -> Email:
    user = notification.user
    with _rendering(user):
        context = _common(user, [notification.kind])
        item = item_view(notification)
        subject = messages.excerpt(item["sentence"], SUBJECT_MAX)
        context.update(item=item, subject=subject)
        text = render_template("email/notification.txt", **context)
        html = render_template("email/notification.html", **context)
    return Email(user.email, subject, text, html, _headers(context["unsubscribe_url"]))


@dataclass
class IdeaGroup:
    title: str | None
    url: str | None
    items: list[dict]


@dataclass
class CommunityGroup:
    name: str
    ideas: list[IdeaGroup]


def group_items(notifications: list[Notification]) -> list[CommunityGroup]:
    """By community (by name), then by idea (by title; news about the community itself, such as
    join requests, first), each idea's items in time order."""
    communities: dict[int | None, dict] = {}
    for n in sorted(notifications, key=lambda n: (n.created_at, n.id)):
        community = communities.setdefault(n.community_id, {
            "name": n.community.name if n.community else "", "ideas": {}})
        key = n.idea_id
        if key not in community["ideas"]:
            url = (public_url(url_for("ideation.show", idea_id=n.idea_id))
                   if n.idea is not None else None)
            community["ideas"][key] = IdeaGroup(n.idea.title if n.idea else None, url, [])
        community["ideas"][key].items.append(item_view(n))
    return [CommunityGroup(c["name"], sorted(c["ideas"].values(),
                                             key=lambda g: (g.title is not None, g.title or "")))
            for c in sorted(communities.values(), key=lambda c: c["name"].lower())]


def digest_email(user, frequency: Frequency, notifications: list[Notification]) -> Email:
    count = len(notifications)
    with _rendering(user):
        if frequency == Frequency.WEEKLY:
            subject = ngettext("Votre résumé de la semaine : %(num)d nouveauté",
                               "Votre résumé de la semaine : %(num)d nouveautés", count)
        else:
            subject = ngettext("Votre résumé du jour : %(num)d nouveauté",
                               "Votre résumé du jour : %(num)d nouveautés", count)
        context = _common(user, {n.kind for n in notifications})
        context.update(subject=subject, groups=group_items(notifications),
                       frequency=str(frequency), count=count)
        text = render_template("email/digest.txt", **context)
        html = render_template("email/digest.html", **context)
    return Email(user.email, subject, text, html, _headers(context["unsubscribe_url"]))


def to_message(row) -> EmailMessage:
    """An outbox row as the message SMTP sends."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    for name, value in json.loads(row.headers or "{}").items():
        message[name] = value
    message.set_content(row.text)
    message.add_alternative(row.html, subtype="html")
    return message
