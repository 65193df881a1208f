"""Who may search, and who sees the possible duplicates of an idea on its page.

What a search finds is decided elsewhere (`visibility`, then `queries` re-checks every row): these
rules only open the pages."""

from ideas.accounts.permissions import is_signed_in
from ideas.communities.permissions import can_moderate
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea


def can_search(user) -> bool:
    """Every signed-in agent; the results are limited to what they may read."""
    return is_signed_in(user)


def can_see_duplicates(user, idea: Idea) -> bool:
    """The similar ideas beside an idea, to merge duplicates: its community's facilitators and
    admins (who moderate everything)."""
    return is_signed_in(user) and can_view_idea(user, idea) and can_moderate(user, idea.community)
