""""Mes données" (RGPD art. 15; ASVS 8.3.2; SECURITY-CHECKLIST item 50): everything the
platform keeps about the agent asking, and nothing about anyone else, as a zip of one JSON file
(everything) and one CSV file per section (for a spreadsheet), with a README in their language.

"Only theirs" is a rule on each section: the agent's own rows, with the ids of what they point
at; a title of someone else's idea only while the agent may still see it (`visible_ideas_filter`:
not once they have left its private community, nor once the moderation hid it); never a reason
the moderation gave about someone else's content, nor another person's name or address.

One query per section, whatever the amount of data (no N+1): the route stays cheap.
"""

import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ideas.accounts.models import Invitation, User
from ideas.comments.models import Comment
from ideas.communities.models import Community, Membership
from ideas.exports import csv_bytes
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea, IdeaRevision, IdeaSdg, Tag, idea_tags, idea_themes
from ideas.ideation.queries import visible_ideas_filter
from ideas.moderation.models import ModerationAction, Report, Suspension
from ideas.notifications.kinds import Kind, default_frequency
from ideas.notifications.models import (
    CommentMention,
    Notification,
    NotificationPreference,
    OutboxEmail,
)
from ideas.offer.models import Service
from ideas.reference.models import Territory, Theme
from ideas.research.models import ResearchIntervention
from ideas.votes.models import Vote
from ideas.workflow.models import StatusChange

FORMAT = "fabrique-a-idees/mes-donnees/1"


@dataclass
class Section:
    name: str  # the CSV file's stem and the JSON key
    description: str
    columns: Sequence[str]
    rows: list[tuple]


DESCRIPTIONS = {
    "profile": _l("Votre compte : adresse, nom affiché, rôle, territoire, langue, dates de "
                  "création, de dernière connexion et de changement de mot de passe."),
    "memberships": _l("Vos communautés : rôle, statut, message de votre demande d'adhésion."),
    "ideas": _l("Vos idées, avec leur texte, leur statut et, si la modération en a masqué une, "
                "la raison donnée."),
    "idea_versions": _l("Les versions précédentes de vos idées, avant chaque modification."),
    "comments": _l("Vos commentaires, y compris ceux que vous avez supprimés ou que la "
                   "modération a masqués (avec la raison)."),
    "supports": _l("Les idées que vous soutenez."),
    "idea_follows": _l("Les idées que vous suivez."),
    "community_follows": _l("Les communautés que vous suivez."),
    "notifications": _l("Vos notifications : type, date, lecture, envoi par courriel."),
    "notification_preferences": _l("Vos choix d'envoi des notifications par courriel."),
    "emails": _l("Les courriels préparés pour vous : type, état, dates d'envoi."),
    "mentions": _l("Les commentaires qui vous mentionnent."),
    "reports": _l("Vos signalements : motif, précisions, date."),
    "workflow_actions": _l("Les changements de statut d'idées que vous avez faits, avec vos "
                           "réponses officielles."),
    "moderation_actions": _l("Les actions de modération que vous avez faites (sans les raisons "
                             "données sur les contenus d'autres agents)."),
    "suspensions": _l("Les suspensions de votre compte, avec leur raison."),
    "invitations": _l("Les invitations reçues à votre adresse."),
    "records": _l("Les services, interventions de la recherche et communautés que vous avez "
                  "enregistrés."),
}


def collect(user: User) -> list[Section]:
    """Every section, in the order the README lists them."""
    titles = _VisibleTitles(user)
    sections = [
        _profile(user), _memberships(user), _ideas(user), _idea_versions(user),
        _comments(user, titles), _supports(user, titles), _idea_follows(user, titles),
        _community_follows(user), _notifications(user), _preferences(user), _emails(user),
        _mentions(user), _reports(user), _workflow_actions(user), _moderation_actions(user),
        _suspensions(user), _invitations(user), _records(user),
    ]
    titles.fill(sections)
    return sections


def _section(name: str, columns: Sequence[str], rows) -> Section:
    return Section(name, str(DESCRIPTIONS[name]), tuple(columns), [tuple(row) for row in rows])


def _rows(statement) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(statement)]


def _profile(user: User) -> Section:
    territory = db.session.scalar(select(Territory.name).where(
        Territory.id == user.territory_id)) if user.territory_id else None
    return _section("profile", (
        "id", "email", "display_name", "role", "territory", "locale", "is_active",
        "created_at", "last_login_at", "password_changed_at", "deactivated_at"),
        [(user.id, user.email, user.display_name, user.role, territory, user.locale,
          user.is_active, user.created_at, user.last_login_at, user.password_changed_at,
          user.deactivated_at)])


def _memberships(user: User) -> Section:
    return _section("memberships", (
        "community_id", "community", "is_private", "role", "status", "message", "created_at",
        "decided_at"), _rows(
        select(Membership.community_id, Community.name, Community.is_private, Membership.role,
               Membership.status, Membership.message, Membership.created_at,
               Membership.decided_at)
        .join(Community, Community.id == Membership.community_id)
        .where(Membership.user_id == user.id).order_by(Membership.created_at, Membership.id)))


def _ideas(user: User) -> Section:
    ideas = _rows(
        select(Idea.id, Idea.community_id, Community.name, Idea.title, Idea.body, Idea.status,
               Idea.vote_count, Idea.comment_count, Idea.follower_count, Idea.created_at,
               Idea.edited_at, Idea.status_changed_at, Idea.withdrawn_at, Idea.merged_into_id,
               Idea.hidden_at, Idea.hidden_reason, Idea.locked_at, Idea.external_ref)
        .join(Community, Community.id == Idea.community_id)
        .where(Idea.author_id == user.id).order_by(Idea.created_at, Idea.id))
    mine = select(Idea.id).where(Idea.author_id == user.id)
    themes, tags, sdgs = defaultdict(list), defaultdict(list), defaultdict(list)
    for idea_id, name in db.session.execute(
            select(idea_themes.c.idea_id, Theme.name_fr).join(Theme)
            .where(idea_themes.c.idea_id.in_(mine)).order_by(Theme.position)):
        themes[idea_id].append(name)
    for idea_id, name in db.session.execute(
            select(idea_tags.c.idea_id, Tag.name).join(Tag)
            .where(idea_tags.c.idea_id.in_(mine)).order_by(Tag.name)):
        tags[idea_id].append(name)
    for idea_id, number in db.session.execute(
            select(IdeaSdg.idea_id, IdeaSdg.sdg).where(IdeaSdg.idea_id.in_(mine))
            .order_by(IdeaSdg.sdg)):
        sdgs[idea_id].append(str(number))
    return _section("ideas", (
        "id", "community_id", "community", "title", "body", "status", "themes", "tags", "sdgs",
        "supports", "comments", "followers", "created_at", "edited_at", "status_changed_at",
        "withdrawn_at", "merged_into_id", "hidden_at", "hidden_reason", "locked_at",
        "external_ref"),
        [(*row[:6], " | ".join(themes[row[0]]), " | ".join(tags[row[0]]),
          " | ".join(sdgs[row[0]]), *row[6:]) for row in ideas])


def _idea_versions(user: User) -> Section:
    return _section("idea_versions", ("idea_id", "title", "body", "replaced_at"), _rows(
        select(IdeaRevision.idea_id, IdeaRevision.title, IdeaRevision.body,
               IdeaRevision.created_at)
        .join(Idea, Idea.id == IdeaRevision.idea_id)
        .where(Idea.author_id == user.id).order_by(IdeaRevision.created_at, IdeaRevision.id)))


class _VisibleTitles:
    """The titles of the ideas other sections point at, for those the agent may still see:
    one query once every section is built."""

    COLUMN = "idea_title"

    def __init__(self, user: User):
        self.user = user

    def fill(self, sections: list[Section]) -> None:
        wanting = [s for s in sections if self.COLUMN in s.columns]
        ids = {row[s.columns.index("idea_id")] for s in wanting for row in s.rows}
        titles = dict(db.session.execute(
            select(Idea.id, Idea.title).where(Idea.id.in_(ids), visible_ideas_filter(self.user))
        ).all()) if ids else {}
        for section in wanting:
            id_at, title_at = section.columns.index("idea_id"), section.columns.index(self.COLUMN)
            section.rows = [(*row[:title_at], titles.get(row[id_at]), *row[title_at + 1:])
                            for row in section.rows]


def _comments(user: User, _titles) -> Section:
    return _section("comments", (
        "id", "idea_id", "idea_title", "parent_id", "body", "created_at", "edited_at",
        "deleted_at", "hidden_at", "hidden_reason"), _rows(
        select(Comment.id, Comment.idea_id, db.null(), Comment.parent_id, Comment.body,
               Comment.created_at, Comment.edited_at, Comment.deleted_at, Comment.hidden_at,
               Comment.hidden_reason)
        .where(Comment.author_id == user.id).order_by(Comment.created_at, Comment.id)))


def _supports(user: User, _titles) -> Section:
    return _section("supports", ("idea_id", "idea_title", "created_at"), _rows(
        select(Vote.idea_id, db.null(), Vote.created_at).where(Vote.user_id == user.id)
        .order_by(Vote.created_at, Vote.id)))


def _idea_follows(user: User, _titles) -> Section:
    return _section("idea_follows", ("idea_id", "idea_title", "created_at"), _rows(
        select(IdeaFollow.idea_id, db.null(), IdeaFollow.created_at)
        .where(IdeaFollow.user_id == user.id).order_by(IdeaFollow.created_at)))


def _community_follows(user: User) -> Section:
    # Every agent may see every community's name (to ask to join): nothing private here.
    return _section("community_follows", ("community_id", "community", "created_at"), _rows(
        select(CommunityFollow.community_id, Community.name, CommunityFollow.created_at)
        .join(Community, Community.id == CommunityFollow.community_id)
        .where(CommunityFollow.user_id == user.id).order_by(CommunityFollow.created_at)))


def _notifications(user: User) -> Section:
    # Ids only: what the notification is about is read on its page, where visibility applies.
    return _section("notifications", (
        "id", "kind", "created_at", "read_at", "email_frequency", "email_status",
        "community_id", "idea_id", "comment_id"), _rows(
        select(Notification.id, Notification.kind, Notification.created_at,
               Notification.read_at, Notification.email_frequency, Notification.email_status,
               Notification.community_id, Notification.idea_id, Notification.comment_id)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at, Notification.id)))


def _preferences(user: User) -> Section:
    stored = dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.frequency)
        .where(NotificationPreference.user_id == user.id)).all())
    return _section("notification_preferences", ("kind", "frequency", "is_default"),
                    [(kind, stored.get(kind, default_frequency(kind)), kind not in stored)
                     for kind in Kind])


def _emails(user: User) -> Section:
    return _section("emails", (
        "id", "recipient", "kind", "status", "attempts", "created_at", "sent_at"), _rows(
        select(OutboxEmail.id, OutboxEmail.recipient, OutboxEmail.kind, OutboxEmail.status,
               OutboxEmail.attempts, OutboxEmail.created_at, OutboxEmail.sent_at)
        .where(OutboxEmail.user_id == user.id)
        .order_by(OutboxEmail.created_at, OutboxEmail.id)))


def _mentions(user: User) -> Section:
    return _section("mentions", ("comment_id", "idea_id"), _rows(
        select(CommentMention.comment_id, Comment.idea_id)
        .join(Comment, Comment.id == CommentMention.comment_id)
        .where(CommentMention.user_id == user.id).order_by(CommentMention.comment_id)))


def _reports(user: User) -> Section:
    # What the agent wrote; not what the moderation decided about someone else's content.
    return _section("reports", (
        "id", "idea_id", "comment_id", "reason", "details", "created_at"), _rows(
        select(Report.id, Report.idea_id, Report.comment_id, Report.reason, Report.details,
               Report.created_at)
        .where(Report.reporter_id == user.id).order_by(Report.created_at, Report.id)))


def _workflow_actions(user: User) -> Section:
    return _section("workflow_actions", (
        "id", "idea_id", "from_status", "to_status", "answer", "service_id", "merged_into_id",
        "created_at"), _rows(
        select(StatusChange.id, StatusChange.idea_id, StatusChange.from_status,
               StatusChange.to_status, StatusChange.answer, StatusChange.service_id,
               StatusChange.merged_into_id, StatusChange.created_at)
        .where(StatusChange.actor_id == user.id)
        .order_by(StatusChange.created_at, StatusChange.id)))


def _moderation_actions(user: User) -> Section:
    # No reason, summary, before/after nor target: they describe other agents' content.
    return _section("moderation_actions", (
        "id", "action", "community_id", "idea_id", "comment_id", "created_at"), _rows(
        select(ModerationAction.id, ModerationAction.action, ModerationAction.community_id,
               ModerationAction.idea_id, ModerationAction.comment_id,
               ModerationAction.created_at)
        .where(ModerationAction.actor_id == user.id)
        .order_by(ModerationAction.created_at, ModerationAction.id)))


def _suspensions(user: User) -> Section:
    return _section("suspensions", ("created_at", "ends_at", "lifted_at", "reason"), _rows(
        select(Suspension.created_at, Suspension.ends_at, Suspension.lifted_at,
               Suspension.reason)
        .where(Suspension.user_id == user.id).order_by(Suspension.created_at)))


def _invitations(user: User) -> Section:
    return _section("invitations", (
        "community_id", "created_at", "expires_at", "accepted_at"), _rows(
        select(Invitation.community_id, Invitation.created_at, Invitation.expires_at,
               Invitation.accepted_at)
        .where(Invitation.email == user.email).order_by(Invitation.created_at)))


def _records(user: User) -> Section:
    services = select(db.literal("service"), Service.id, Service.name, Service.created_at).where(
        Service.created_by_id == user.id)
    # The topic, not the researcher's name: that is someone else's personal data.
    interventions = select(db.literal("research_intervention"), ResearchIntervention.id,
                           ResearchIntervention.topic, ResearchIntervention.created_at).where(
        ResearchIntervention.created_by_id == user.id)
    communities = select(db.literal("community"), Community.id, Community.name,
                         Community.created_at).where(Community.created_by_id == user.id)
    return _section("records", ("kind", "id", "name", "created_at"),
                    _rows(services) + _rows(interventions) + _rows(communities))


# -- The archive

def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"  # stored naive UTC
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_json(user: User, sections: list[Section], generated_at: datetime) -> bytes:
    document = {
        "format": FORMAT,
        "generated_at": _json_value(generated_at),
        "account_id": user.id,
        "sections": {section.name: [
            {column: _json_value(value) for column, value in zip(section.columns, row,
                                                                 strict=True)}
            for row in section.rows] for section in sections},
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def readme(sections: list[Section], generated_at: datetime) -> str:
    lines = [_("Vos données personnelles sur la Fabrique à idées, au %(date)s (UTC).",
               date=generated_at.strftime("%Y-%m-%d %H:%M")), "",
             _("donnees.json contient tout ; chaque fichier CSV (séparateur point-virgule, "
               "UTF-8) reprend une rubrique pour un tableur. Les dates des CSV sont à "
               "l'heure de Paris, celles du JSON en UTC."), "",
             _("Aucun journal de connexion n'est conservé dans la base : seule la date de "
               "votre dernière connexion l'est (rubrique profile)."), ""]
    for section in sections:
        lines.append(ngettext("%(file)s (%(num)d ligne) : %(description)s",
                              "%(file)s (%(num)d lignes) : %(description)s", len(section.rows),
                              file=f"{section.name}.csv", description=section.description))
    return "\n".join(lines) + "\n"


def build_archive(user: User, generated_at: datetime) -> bytes:
    sections = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_("LISEZMOI.txt"), readme(sections, generated_at).encode("utf-8"))
        archive.writestr("donnees.json", as_json(user, sections, generated_at))
        for section in sections:
            archive.writestr(f"{section.name}.csv", csv_bytes(section.columns, section.rows))
    return buffer.getvalue()
