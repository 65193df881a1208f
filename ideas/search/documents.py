"""What the search index holds about an idea, read from the database (the source of truth).

Documents are loaded with Core queries in batches (one query per related table per batch), so
a rebuild of 100,000 ideas takes a few hundred queries, and so they can be read on any
connection: the after-commit hook reads them on a fresh one, the PostgreSQL backend inside the
transaction being committed.
"""

import hashlib
import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ideas.comments.models import Comment
from ideas.communities.models import Community
from ideas.ideation.models import Idea, IdeaSdg, Tag, idea_tags, idea_themes
from ideas.markdown import render_markdown
from ideas.reference.models import Theme

BATCH_SIZE = 1000
COMMENTS_MAX_CHARS = 50_000  # a 500-comment thread should not dwarf every other document

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def plain_text(stored_html: str) -> str:
    """Sanitised HTML (ideas.markdown) → text: tags out, entities decoded, spaces folded."""
    text = html.unescape(_TAGS.sub(" ", stored_html or ""))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class IdeaDocument:
    idea_id: int
    community_id: int
    community_name: str
    is_private: bool
    status: str
    territory_id: int | None
    created_at: datetime
    vote_count: int
    is_hidden: bool  # hidden by the moderation: found only by the community's moderators
    title: str
    body: str
    theme_ids: list[int] = field(default_factory=list)
    theme_names: list[str] = field(default_factory=list)  # French and English names
    tags: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    comments: str = ""

    @property
    def year(self) -> int:
        return self.created_at.year

    @property
    def keywords(self) -> str:
        """The second-rank text: tags, theme names (fr + en), community name."""
        return " ; ".join([*self.tags, *self.theme_names, self.community_name])

    def fingerprint(self, counts: bool = True) -> str:
        """Changes whenever anything the index holds changes: `check` compares it. Without
        `counts` for an index that holds no support count (PostgreSQL reads it from `ideas`)."""
        parts = (self.community_id, self.community_name, self.is_private, self.status,
                 self.territory_id, self.created_at.isoformat(),
                 self.vote_count if counts else None, self.is_hidden, self.title,
                 self.body, self.theme_ids, self.theme_names, self.tags, self.sdgs, self.comments)
        return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def all_idea_ids(connection) -> set[int]:
    return set(connection.scalars(select(Idea.id)))


def count_ideas(connection) -> int:
    from sqlalchemy import func

    return connection.scalar(select(func.count()).select_from(Idea))


def load_documents(connection, idea_ids: Iterable[int] | None = None,
                   batch_size: int = BATCH_SIZE) -> Iterator[IdeaDocument]:
    """Documents for these ideas (those still in the database), or for every idea when None."""
    if idea_ids is not None:
        ids = sorted(set(idea_ids))
        for start in range(0, len(ids), batch_size):
            yield from _load_batch(connection, Idea.id.in_(ids[start:start + batch_size]))
        return
    last_id = 0
    while True:
        batch = list(_load_batch(connection, Idea.id > last_id, limit=batch_size))
        if not batch:
            return
        yield from batch
        last_id = batch[-1].idea_id


def _load_batch(connection, condition, limit: int | None = None) -> list[IdeaDocument]:
    query = (
        select(Idea.id, Idea.community_id, Community.name, Community.is_private,
               Community.territory_id, Idea.status, Idea.created_at, Idea.vote_count,
               Idea.hidden_at, Idea.title, Idea.body, Idea.body_html)
        .join(Community, Community.id == Idea.community_id)
        .where(condition)
        .order_by(Idea.id)
    )
    if limit:
        query = query.limit(limit)
    documents = {}
    for row in connection.execute(query):
        documents[row.id] = IdeaDocument(
            idea_id=row.id, community_id=row.community_id, community_name=row.name,
            is_private=bool(row.is_private), status=str(row.status),
            territory_id=row.territory_id, created_at=row.created_at,
            vote_count=row.vote_count or 0, is_hidden=row.hidden_at is not None,
            title=unicodedata.normalize("NFC", row.title),
            body=plain_text(row.body_html or render_markdown(row.body)),
        )
    if documents:
        _add_related(connection, documents)
    return list(documents.values())


def _add_related(connection, documents: dict[int, IdeaDocument]) -> None:
    ids = list(documents)
    themes = connection.execute(
        select(idea_themes.c.idea_id, Theme.id, Theme.name_fr, Theme.name_en)
        .join(Theme, Theme.id == idea_themes.c.theme_id)
        .where(idea_themes.c.idea_id.in_(ids))
        .order_by(idea_themes.c.idea_id, Theme.id)
    )
    for idea_id, theme_id, name_fr, name_en in themes:
        documents[idea_id].theme_ids.append(theme_id)
        documents[idea_id].theme_names.extend(
            [name_fr] if name_fr == name_en else [name_fr, name_en])
    tags = connection.execute(
        select(idea_tags.c.idea_id, Tag.name).join(Tag, Tag.id == idea_tags.c.tag_id)
        .where(idea_tags.c.idea_id.in_(ids)).order_by(idea_tags.c.idea_id, Tag.name)
    )
    for idea_id, name in tags:
        documents[idea_id].tags.append(name)
    sdgs = connection.execute(
        select(IdeaSdg.idea_id, IdeaSdg.sdg).where(IdeaSdg.idea_id.in_(ids))
        .order_by(IdeaSdg.idea_id, IdeaSdg.sdg)
    )
    for idea_id, sdg in sdgs:
        documents[idea_id].sdgs.append(sdg)
    comments = connection.execute(
        select(Comment.idea_id, Comment.body, Comment.body_html)
        .where(Comment.idea_id.in_(ids), Comment.deleted_at.is_(None),
               Comment.hidden_at.is_(None))
        .order_by(Comment.idea_id, Comment.created_at, Comment.id)
    )
    texts = defaultdict(list)
    for idea_id, body, body_html in comments:
        texts[idea_id].append(plain_text(body_html or render_markdown(body)))
    for idea_id, parts in texts.items():
        documents[idea_id].comments = " \n".join(parts)[:COMMENTS_MAX_CHARS]
