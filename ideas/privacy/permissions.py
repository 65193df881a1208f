"""Who may export and erase which account. Pure functions of the user (and target)."""

from ideas.accounts.models import Role, User
from ideas.accounts.permissions import can_admin_users, is_signed_in
from ideas.extensions import db


def can_export_own_data(user) -> bool:
    return is_signed_in(user)


def is_last_admin(user) -> bool:
    """Nobody would be left to administer the platform without this account."""
    if not user.is_admin:
        return False
    return not db.session.scalar(db.select(db.func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.is_active, User.erased_at.is_(None), User.id != user.id))


def can_delete_own_account(user) -> bool:
    return is_signed_in(user) and not is_last_admin(user)


def can_erase_account(user, target: User) -> bool:
    """Admins erase others' accounts (their own goes through "Supprimer mon compte")."""
    return can_admin_users(user) and target.id != user.id and not target.is_erased
