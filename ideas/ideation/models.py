"""The idea, its themes, SDGs (ODD), tags and edit history."""

import enum
from datetime import datetime

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.communities.models import Community
from ideas.extensions import db, str_enum
from ideas.reference.models import Theme
from ideas.utils import utcnow

TITLE_MIN, TITLE_MAX = 5, 150
BODY_MAX = 20_000
SDG_NUMBERS = range(1, 18)


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    SELECTED = "selected"
    PILOTING = "piloting"
    ADOPTED = "adopted"
    DECLINED = "declined"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


# The author may edit (and withdraw) only before management has started deciding.
EDITABLE_STATUSES = (IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW)
# Supports and comments are closed once an idea has left the discussion.
CLOSED_STATUSES = (IdeaStatus.WITHDRAWN, IdeaStatus.MERGED)

idea_themes = Table(
    "idea_themes",
    db.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    # The theme filter: a theme's ideas read from the index alone.
    Index("ix_idea_themes_theme_id", "theme_id", "idea_id"),
)

idea_tags = Table(
    "idea_tags",
    db.metadata,
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)  # lower-cased, NFC

    def __str__(self) -> str:
        return self.name


class IdeaSdg(db.Model):
    """An SDG (ODD 1–17) an idea cites."""

    __tablename__ = "idea_sdgs"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"),
                                         primary_key=True)
    sdg: Mapped[int] = mapped_column(SmallInteger, primary_key=True, index=True)


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        # Lists, newest first (bench/perf): the visibility rule's columns in the index, so a
        # page's ids, a deep page's skipped rows and the total are read without the rows.
        Index("ix_ideas_community_created", "community_id", "created_at", "id", "status",
              "hidden_at", "author_id", "pinned_at"),
        Index("ix_ideas_listing", "created_at", "id", "community_id", "status", "hidden_at",
              "author_id"),
        # Filters that give ids (a theme, an SDG, followed ideas): each id's visibility columns
        # and sort keys from this index rather than from its row (SQLite reads past the body
        # to reach them): the theme filter's SQL at 100,000 ideas 61 -> 24 ms.
        Index("ix_ideas_id_listing", "id", "community_id", "status", "hidden_at", "author_id",
              "created_at", "vote_count", "comment_count"),
        # The "supported" and "commented" sorts, as ix_ideas_listing for the newest: sought
        # after a cursor (ideas.pagination.PageCursor) and filtered without reading the rows
        # (at 100,000 ideas, SQLite, a deep page's ids 120 -> 28 ms with the cursor
        # and ix_ideas_vote_count, -> under a millisecond with this index).
        Index("ix_ideas_supported", "vote_count", "created_at", "id", "community_id", "status",
              "hidden_at", "author_id"),
        Index("ix_ideas_commented", "comment_count", "created_at", "id", "community_id",
              "status", "hidden_at", "author_id"),
        Index("ix_ideas_status_created", "status", "created_at"),
        # Management review: filtered and sorted from the index alone, rows read for one page.
        Index("ix_ideas_status_changed", "status", "status_changed_at", "created_at",
              "community_id", "vote_count"),
        # One idea per submitted form (ideas.idempotency).
        UniqueConstraint("author_id", "submission_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    # Sanitised HTML rendered once at write time (ideas.markdown), so pages never re-render.
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[IdeaStatus] = mapped_column(str_enum(IdeaStatus, 20),
                                               default=IdeaStatus.SUBMITTED)
    # Denormalised counters, changed only by SQL increments next to the rows they count.
    vote_count: Mapped[int] = mapped_column(default=0)  # ix_ideas_supported leads
    comment_count: Mapped[int] = mapped_column(default=0)
    follower_count: Mapped[int] = mapped_column(default=0)
    # Raised by every change of the content (author's edit, moderator's title): a form sent
    # from an older version is refused (409) instead of silently undoing the other change.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    external_ref: Mapped[str | None] = mapped_column(String(120), unique=True)
    submission_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)  # ix_ideas_listing leads
    edited_at: Mapped[datetime | None]
    status_changed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # Set when the workflow merges this idea into another (its supports and followers moved).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"),
                                                       index=True)
    # Moderation (ideas.moderation): a hidden idea leaves every list but for its author and the
    # community's moderators; `hidden_by_id` is NULL when it was hidden automatically (reports).
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    locked_at: Mapped[datetime | None]  # no new comment or support; existing ones stay
    pinned_at: Mapped[datetime | None]  # first in its community's list

    community: Mapped[Community] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    merged_into: Mapped["Idea | None"] = relationship(remote_side=[id])
    themes: Mapped[list[Theme]] = relationship(secondary=idea_themes, order_by=Theme.position)
    tags: Mapped[list[Tag]] = relationship(secondary=idea_tags, order_by=Tag.name)
    sdg_links: Mapped[list[IdeaSdg]] = relationship(cascade="all, delete-orphan",
                                                    order_by=IdeaSdg.sdg)

    @property
    def sdgs(self) -> list[int]:
        return [link.sdg for link in self.sdg_links]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    def __str__(self) -> str:
        return self.title


class IdeaRevision(db.Model):
    """The text of an idea before each edit: moderators can see what changed."""

    __tablename__ = "idea_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()
