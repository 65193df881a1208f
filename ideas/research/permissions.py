"""Managers, admins and the community's facilitators record research interventions."""

from ideas.accounts.permissions import is_signed_in
from ideas.communities.models import Community
from ideas.communities.permissions import can_read_content, is_facilitator


def can_record_intervention(user, community: Community) -> bool:
    return is_signed_in(user) and (user.is_manager or is_facilitator(user, community))


def can_view_interventions(user, community: Community) -> bool:
    return can_read_content(user, community)


def can_manage_interventions(user) -> bool:
    """Management keeps the record: the list of every community's interventions, edit, delete."""
    return is_signed_in(user) and user.is_manager
