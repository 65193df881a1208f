"""factory_boy factories bound to the app's session; they commit so views see the rows."""

import factory
from factory.alchemy import SQLAlchemyModelFactory

from ideas.accounts.models import Role, User
from ideas.communities.models import Community, MemberRole, Membership, MembershipStatus
from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.utils import slugify

PASSWORD = "Une phrase de passe pour les tests"


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"agent{n}@reseau-canope.fr")
    display_name = factory.Sequence(lambda n: f"Agent {n}")
    role = Role.AGENT
    locale = "fr"

    @factory.lazy_attribute
    def password_hash(self):
        from ideas.accounts.services import _hasher

        return _hasher().hash(PASSWORD)


class CommunityFactory(Base):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Communauté {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "Une communauté pour tester."
    is_private = False


class MembershipFactory(Base):
    """An active membership, with the community's member count kept exact."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = MemberRole.MEMBER
    status = MembershipStatus.ACTIVE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        membership = super()._create(model_class, *args, **kwargs)
        if membership.status == MembershipStatus.ACTIVE:
            membership.community.member_count += 1
            db.session.commit()
        return membership


class IdeaFactory(Base):
    """An idea posted straight into the database (no follow, no counters touched)."""

    class Meta:
        model = Idea

    community = factory.SubFactory(CommunityFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Une idée pour tester n°{n}")
    body = "Réduire les impressions papier dans les ateliers."
    body_html = "<p>Réduire les impressions papier dans les ateliers.</p>"
    status = IdeaStatus.SUBMITTED
