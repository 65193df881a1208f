"""The agent account and the invitations that bring agents in."""

import enum
import secrets
import time
from datetime import datetime

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.extensions import db, str_enum
from ideas.reference.models import Territory
from ideas.utils import utcnow


class Role(enum.StrEnum):
    """Global roles. Facilitator is not here: it is held per community (membership role)."""

    AGENT = "agent"
    MANAGER = "manager"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (see accounts.services.normalize_email): unique whatever the case typed.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Read and written through `display_name` (below), which knows about erased accounts.
    stored_display_name: Mapped[str] = mapped_column("display_name", String(80))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        str_enum(Role, 20),
        default=Role.AGENT,
    )
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territories.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Flask-Login's "alternative id": rotating it ends every session and remember-me cookie.
    session_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=new_session_token
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    deactivated_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # Set when the account was erased (ideas.privacy.erasure): the row stays, so that the ideas
    # and comments the community relies on keep an author, but it holds nothing personal.
    erased_at: Mapped[datetime | None]

    territory: Mapped[Territory | None] = relationship()

    # When this browser session logged in (epoch seconds), set by accounts.sessions; not stored.
    logged_in_at = None

    def get_id(self) -> str:
        """The identity the session and remember-me cookies carry: the token and the login
        time (accounts.sessions); rotating the token ends every copy of both cookies."""
        return f"{self.session_token}.{self.logged_in_at or int(time.time())}"

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    @hybrid_property
    def display_name(self) -> str:
        """The name pages, exports and notifications show: "Agent supprimé" in the reader's
        language for an erased account, whatever placeholder its row keeps."""
        if self.erased_at is not None:
            return gettext("Agent supprimé")
        return self.stored_display_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self.stored_display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        return cls.stored_display_name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_invited(self) -> bool:
        """Created by an import or an invitation, never logged in with a password of their own."""
        return self.password_hash is None and self.erased_at is None

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Invitation(db.Model):
    """An emailed invitation to join the platform, optionally straight into a community."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    invited_by: Mapped[User | None] = relationship()
