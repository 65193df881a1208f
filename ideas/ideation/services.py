"""Idea use cases: post, edit, withdraw. They check the rule again, add and flush; the caller
commits. Every refusal is a DomainError naming the form field it concerns."""

import re
import unicodedata
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from ideas import idempotency
from ideas.accounts.models import User
from ideas.communities import services as communities
from ideas.communities.models import Community
from ideas.communities.permissions import is_member
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.follows.services import follow_idea
from ideas.ideation.models import (
    BODY_MAX,
    SDG_NUMBERS,
    TITLE_MAX,
    TITLE_MIN,
    Idea,
    IdeaRevision,
    IdeaSdg,
    IdeaStatus,
    Tag,
)
from ideas.ideation.permissions import can_edit_idea, can_post_idea, can_withdraw_idea
from ideas.ideation.signals import idea_posted
from ideas.markdown import render_markdown
from ideas.reference.models import Theme
from ideas.utils import clean_line, utcnow
from ideas.workflow.services import move_idea

TAGS_MAX, TAG_MAX_LENGTH = 10, 40
_SPACES = re.compile(r"\s+")


def normalize_tags(raw: str | Iterable[str] | None) -> list[str]:
    """"Énergie, #papier ,  ÉNERGIE" → ["énergie", "papier"]: comma separated, NFC, lower-case,
    inner spaces folded, duplicates dropped (first kept), order kept."""
    if raw is None:
        return []
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for part in parts:
        name = _SPACES.sub(" ", unicodedata.normalize("NFC", part or "")).strip().lstrip("#")
        name = name.strip().lower()
        if name and name not in tags:
            tags.append(name)
    if len(tags) > TAGS_MAX:
        raise DomainError(_l("Indiquez au plus %(max)d mots-clés.", max=TAGS_MAX), field="tags")
    too_long = [name for name in tags if len(name) > TAG_MAX_LENGTH]
    if too_long:
        raise DomainError(_l("Un mot-clé ne doit pas dépasser %(max)d caractères : « %(tag)s ».",
                             max=TAG_MAX_LENGTH, tag=too_long[0]), field="tags")
    return tags


def _title(value: str | None) -> str:
    title = clean_line(value)
    if not title:
        raise DomainError(_l("Donnez un titre à votre idée."), field="title")
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise DomainError(_l("Le titre doit faire entre %(min)d et %(max)d caractères.",
                             min=TITLE_MIN, max=TITLE_MAX), field="title")
    return title


def _body(value: str | None) -> str:
    # Markdown cares about inner spaces and line breaks: only normalise and trim the ends.
    body = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_l("Décrivez votre idée."), field="body")
    if len(body) > BODY_MAX:
        raise DomainError(_l("La description ne doit pas dépasser 20 000 caractères."),
                          field="body")
    return body


def _themes(theme_ids: Iterable[int] | None, kept: Iterable[int] = ()) -> list[Theme]:
    """Active themes; `kept`: those an idea already has, still allowed if an admin retired them."""
    ids = {int(i) for i in theme_ids or []}
    if not ids:
        raise DomainError(_l("Choisissez au moins un thème."), field="theme_ids")
    themes = list(db.session.scalars(
        db.select(Theme).where(Theme.id.in_(ids), or_(Theme.is_active, Theme.id.in_(list(kept))))
        .order_by(Theme.position)))
    if len(themes) != len(ids):
        raise DomainError(_l("Choisissez les thèmes dans la liste proposée."), field="theme_ids")
    return themes


def _sdgs(numbers: Iterable[int] | None) -> list[int]:
    sdgs = sorted({int(n) for n in numbers or []})
    if any(n not in SDG_NUMBERS for n in sdgs):
        raise DomainError(_l("Les ODD vont de 1 à 17."), field="sdgs")
    return sdgs


def _tag_rows(names: list[str]) -> list[Tag]:
    """Existing tags by name; missing ones created under a savepoint, so two agents creating the
    same new tag at once both end up with the one row the unique constraint allows."""
    if not names:
        return []
    found = {t.name: t for t in db.session.scalars(db.select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name in found:
            continue
        try:
            with db.session.begin_nested():
                tag = Tag(name=name)
                db.session.add(tag)
            found[name] = tag
        except IntegrityError:
            found[name] = db.session.scalar(db.select(Tag).filter_by(name=name))
    return [found[name] for name in names]


def _set_content(idea: Idea, *, title, body, theme_ids, sdgs, tags) -> None:
    """Validate everything first, then write: a refusal leaves the idea untouched."""
    title, body = _title(title), _body(body)
    kept = [theme.id for theme in idea.themes] if idea.id else []
    themes, numbers, tag_names = _themes(theme_ids, kept), _sdgs(sdgs), normalize_tags(tags)
    idea.title, idea.body, idea.body_html = title, body, render_markdown(body)
    idea.themes = themes
    idea.tags = _tag_rows(tag_names)
    links = {link.sdg: link for link in idea.sdg_links}
    idea.sdg_links = [links.get(n) or IdeaSdg(sdg=n) for n in numbers]


def post_idea(user: User, community: Community, *, title, body, theme_ids, sdgs=(),
              tags="", submission_token: str | None = None) -> Idea:
    """Post an idea; in an open community the author joins it on the way and follows the idea.
    `submission_token` (ideas.idempotency) is the posting form's: a form posted twice gives the
    idea of its first post (checked first: a retry gets it even if the rules changed since)."""
    idea, _created = idempotency.create_once(
        Idea, user.id, submission_token,
        lambda: _new_idea(user, community, title=title, body=body, theme_ids=theme_ids,
                          sdgs=sdgs, tags=tags, submission_token=submission_token))
    return idea


def _new_idea(user: User, community: Community, *, title, body, theme_ids, sdgs, tags,
              submission_token) -> Idea:
    if not can_post_idea(user, community):
        raise DomainError(_l("Vous ne pouvez pas proposer d'idée dans cette communauté."))
    idea = Idea(community=community, author=user, status=IdeaStatus.SUBMITTED,
                submission_token=submission_token)
    _set_content(idea, title=title, body=body, theme_ids=theme_ids, sdgs=sdgs, tags=tags)
    if not community.is_private and not is_member(user, community):
        communities.join(user, community)
    db.session.add(idea)
    db.session.flush()
    follow_idea(user, idea)
    idea_posted.send(idea, author=user)
    return idea


class EditConflict(DomainError):
    """The idea changed since the form was loaded (another tab, a moderator's new title)."""


EDIT_CONFLICT = _l("L'idée a été modifiée entre-temps (dans un autre onglet ou par l'équipe "
                   "d'animation) : vos changements ne sont pas enregistrés. Comparez avec la "
                   "version actuelle, puis enregistrez à nouveau.")


def claim_version(idea: Idea, expected: int | None = None) -> None:
    """Move the idea to its next version, if it is still at `expected` (default: the version
    loaded). A conditional UPDATE: of two edits racing from the same version, one wins."""
    seen = idea.version if expected is None else expected
    moved = db.session.execute(
        db.update(Idea).where(Idea.id == idea.id, Idea.version == seen)
        .values(version=Idea.version + 1).execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(idea, ["version"])
    if moved != 1:
        raise EditConflict(EDIT_CONFLICT)


def edit_idea(user: User, idea: Idea, *, title, body, theme_ids, sdgs=(), tags="",
              version: int | None = None) -> bool:
    """The author edits while the idea is submitted or in review. The previous title and body go
    to an IdeaRevision; returns False when nothing changed. `version` is the one the form was
    loaded with: if the idea changed since, EditConflict."""
    if not can_edit_idea(user, idea):
        raise DomainError(_l("Vous ne pouvez plus modifier cette idée."))
    if version is not None and version != idea.version:
        raise EditConflict(EDIT_CONFLICT)
    # Claimed before anything is written (writing the themes would be flushed first and
    # collide with a racing edit's rows); an edit that changes nothing still takes a version.
    claim_version(idea, idea.version)
    before = (idea.title, idea.body, [t.id for t in idea.themes], idea.sdgs,
              [t.name for t in idea.tags])
    old_title, old_body = idea.title, idea.body
    _set_content(idea, title=title, body=body, theme_ids=theme_ids, sdgs=sdgs, tags=tags)
    after = (idea.title, idea.body, [t.id for t in idea.themes], idea.sdgs,
             [t.name for t in idea.tags])
    if before == after:
        return False
    if (old_title, old_body) != (idea.title, idea.body):
        db.session.add(IdeaRevision(idea_id=idea.id, editor_id=user.id, title=old_title,
                                    body=old_body))
    idea.edited_at = utcnow()
    db.session.flush()
    return True


def withdraw_idea(user: User, idea: Idea) -> None:
    """The author withdraws: a move of the workflow like any other, so it is in the history."""
    if not can_withdraw_idea(user, idea):
        raise DomainError(_l("Cette idée ne peut plus être retirée."))
    move_idea(user, idea, IdeaStatus.WITHDRAWN, expected=idea.status)
