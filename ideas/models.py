"""Every model, imported once so metadata (create_all, Alembic autogenerate) sees all tables."""

from ideas.accounts.models import Invitation, Role, User
from ideas.comments.models import Comment
from ideas.communities.models import Community, Membership, community_themes
from ideas.dashboard.models import ActivityAgent, ActivityDay, ActivityDirty
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea, IdeaRevision, IdeaSdg, Tag, idea_tags, idea_themes
from ideas.moderation.models import ModerationAction, Report, Suspension
from ideas.notifications.models import (
    CommentMention,
    Notification,
    NotificationPreference,
    OutboxEmail,
)
from ideas.offer.models import Service, service_ideas
from ideas.reference.models import Territory, Theme
from ideas.research.models import ResearchIntervention
from ideas.search.models import SearchDocument, SearchQueueEntry
from ideas.votes.models import Vote
from ideas.workflow.models import StatusChange

__all__ = ["ActivityAgent", "ActivityDay", "ActivityDirty",
           "Comment", "CommentMention", "Community", "CommunityFollow", "Idea", "IdeaFollow",
           "IdeaRevision", "IdeaSdg", "Invitation", "Membership", "ModerationAction",
           "Notification", "NotificationPreference", "OutboxEmail", "Report",
           "ResearchIntervention", "Role", "SearchDocument", "SearchQueueEntry", "Service",
           "StatusChange", "Suspension", "Tag", "Territory", "Theme", "User", "Vote",
           "community_themes", "idea_tags", "idea_themes", "service_ideas"]
