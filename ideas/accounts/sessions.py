"""Flask-Login glue: sessions carry the user's rotating session token, not their id."""

from ideas.accounts.models import User
from ideas.extensions import db


def load_user(session_token: str) -> User | None:
    user = db.session.scalar(db.select(User).filter_by(session_token=session_token))
    # A deactivated agent with a live cookie becomes anonymous at the next request.
    if user is None or not user.is_active:
        return None
    return user
