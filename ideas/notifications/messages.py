"""What a notification says and where it leads, in the reader's language (the page's, or the
one an email is rendered in with `force_locale`)."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideas.comments.links import thread_url
from ideas.ideation.labels import status_label
from ideas.notifications.kinds import Kind

EXCERPT_LENGTH = 200

_IDEA_MODERATION = {
    "hide": _l("Votre idée « %(idea)s » a été masquée par la modération."),
    "auto_hide": _l("Votre idée « %(idea)s » a été masquée automatiquement après plusieurs "
                    "signalements, en attendant la décision de l'équipe d'animation."),
    "restore": _l("Votre idée « %(idea)s » est de nouveau visible."),
    "lock": _l("Votre idée « %(idea)s » a été verrouillée : elle n'accepte plus de nouveaux "
               "commentaires ni soutiens."),
    "unlock": _l("Votre idée « %(idea)s » est déverrouillée."),
    "pin": _l("Votre idée « %(idea)s » a été épinglée en tête de sa communauté."),
    "unpin": _l("Votre idée « %(idea)s » n'est plus épinglée."),
    "edit_title": _l("La modération a modifié le titre de votre idée : « %(idea)s »."),
}
_COMMENT_MODERATION = {
    "hide": _l("Votre commentaire sur « %(idea)s » a été masqué par la modération."),
    "auto_hide": _l("Votre commentaire sur « %(idea)s » a été masqué automatiquement après "
                    "plusieurs signalements, en attendant la décision de l'équipe d'animation."),
    "restore": _l("Votre commentaire sur « %(idea)s » est de nouveau visible."),
}


def _name(user) -> str:
    return user.display_name if user is not None else _("Un agent")


def describe(notification) -> str:
    """One sentence: who did what, on which item."""
    n = notification
    kind = n.kind
    idea = n.idea.title if n.idea is not None else ""
    actor = _name(n.actor)
    community = n.community.name if n.community is not None else ""
    if kind == Kind.COMMENT_ON_MY_IDEA:
        return _("%(actor)s a commenté votre idée « %(idea)s ».", actor=actor, idea=idea)
    if kind == Kind.COMMENT_ON_FOLLOWED_IDEA:
        return _("%(actor)s a commenté l'idée « %(idea)s », que vous suivez.", actor=actor,
                 idea=idea)
    if kind == Kind.REPLY_TO_MY_COMMENT:
        return _("%(actor)s a répondu à votre commentaire sur « %(idea)s ».", actor=actor,
                 idea=idea)
    if kind == Kind.MENTION:
        return _("%(actor)s vous mentionne dans un commentaire sur « %(idea)s ».", actor=actor,
                 idea=idea)
    if kind in (Kind.STATUS_OF_MY_IDEA, Kind.STATUS_OF_FOLLOWED_IDEA):
        status = status_label(n.status_change.to_status) if n.status_change else ""
        if kind == Kind.STATUS_OF_MY_IDEA:
            return _("Votre idée « %(idea)s » est maintenant « %(status)s ».", idea=idea,
                     status=status)
        return _("L'idée « %(idea)s », que vous suivez, est maintenant « %(status)s ».",
                 idea=idea, status=status)
    if kind == Kind.MY_IDEA_ADOPTED:
        if n.service is not None:
            return _("Votre idée « %(idea)s » est adoptée : elle devient le service "
                     "« %(service)s ».", idea=idea, service=n.service.name)
        return _("Votre idée « %(idea)s » est adoptée : elle devient un service de l'offre.",
                 idea=idea)
    if kind == Kind.NEW_IDEA_IN_COMMUNITY:
        return _("Nouvelle idée dans « %(community)s » : « %(idea)s », par %(actor)s.",
                 community=community, idea=idea, actor=actor)
    if kind == Kind.JOIN_REQUEST:
        return _("%(actor)s demande à rejoindre la communauté « %(community)s ».", actor=actor,
                 community=community)
    if kind == Kind.NEW_REPORT:
        if n.comment_id is not None:
            return _("Un commentaire sur « %(idea)s » a été signalé : il attend votre examen.",
                     idea=idea)
        return _("L'idée « %(idea)s » a été signalée : elle attend votre examen.", idea=idea)
    if kind == Kind.MODERATION_OF_MY_CONTENT:
        sentences = _COMMENT_MODERATION if n.comment_id is not None else _IDEA_MODERATION
        sentence = sentences.get(n.action)
        if sentence is None:
            return _("Une décision de modération concerne votre contribution sur « %(idea)s ».",
                     idea=idea)
        return str(sentence) % {"idea": idea}
    return _("Nouvelle notification.")


def details(notification) -> list[tuple[str, str]]:
    """Lines shown under the sentence: (label, text). The official answer of a status change,
    the reason of a moderation decision, the start of a comment."""
    n = notification
    lines = []
    if n.status_change is not None and n.status_change.answer:
        lines.append((_("Réponse officielle"), n.status_change.answer))
    if n.kind == Kind.MODERATION_OF_MY_CONTENT and n.detail:
        lines.append((_("Motif"), n.detail))
    if (n.comment is not None and n.kind != Kind.MODERATION_OF_MY_CONTENT
            and n.kind != Kind.NEW_REPORT and not n.comment.is_deleted):
        lines.append((_("Commentaire"), excerpt(n.comment.body)))
    return lines


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def target_url(notification) -> str:
    """Where the notification leads (a path of this site)."""
    n = notification
    if n.kind == Kind.JOIN_REQUEST and n.community is not None:
        return url_for("communities.members", slug=n.community.slug)
    if n.kind == Kind.NEW_REPORT and n.community is not None:
        return url_for("moderation.community_queue", slug=n.community.slug)
    if n.idea_id is None:
        if n.community is not None:
            return url_for("communities.show", slug=n.community.slug)
        return url_for("notifications.index")
    if n.comment is not None:
        return thread_url(n.idea_id, n.comment)
    anchor = "statut" if n.status_change_id is not None else None
    return url_for("ideation.show", idea_id=n.idea_id, _anchor=anchor)
