"""Managers and admins keep the catalogue; every agent may read it."""

from ideas.accounts.permissions import is_signed_in


def can_manage_services(user) -> bool:
    return is_signed_in(user) and user.is_manager


def can_view_services(user) -> bool:
    return is_signed_in(user)
