"""Who may do what with accounts. Pure functions of the user (and target)."""

from ideas.accounts.models import User


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_admin_users(user) -> bool:
    return is_signed_in(user) and user.is_admin


def can_change_role(user, target: User) -> bool:
    """Admins manage roles, but never their own: the last admin cannot lock everyone out.
    An erased account (ideas.privacy) has nothing left to manage."""
    return can_admin_users(user) and target.id != user.id and target.erased_at is None


def can_invite_to_platform(user) -> bool:
    return is_signed_in(user) and user.is_manager
