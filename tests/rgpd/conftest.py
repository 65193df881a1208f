"""Two agents with a life on the platform, so that every test can ask "all of Alice's data,
and nothing of Bruno's" (and the other way round).

- Alice Zéphyrine: member of the open and the private community; posts an idea in each (the
  open one spelling her name, the private one hidden by the moderation with a reason she may
  read), comments on Bruno's idea, supports and follows it, follows the open community,
  reports Bruno's comment, chooses an email preference, is suspended once (lifted).
- Bruno Quillard: posts an idea in the private community, one in the open community (hidden
  by the moderation after Alice supported it: its title and reason are not hers to read), a
  comment mentioning "@Alice Zéphyrine" on her idea (hidden by the facilitator, with a reason).
- Fanny, facilitator of both communities, does the moderation; an admin suspends Alice.
Services do everything, so counters, notifications and mentions are those of production.
"""

import os
from dataclasses import dataclass

import pytest

from ideas.accounts.models import User
from ideas.comments.models import Comment
from ideas.comments.services import post_comment
from ideas.communities.models import Community
from ideas.extensions import db as _db
from ideas.follows.services import follow_community, follow_idea
from ideas.ideation import services as ideation
from ideas.ideation.models import Idea
from ideas.moderation import services as moderation
from ideas.moderation.suspension_services import lift_suspension, suspend_user
from ideas.notifications import dispatch
from ideas.notifications.kinds import Frequency, Kind
from ideas.notifications.services import set_preferences
from ideas.reference.models import Theme
from ideas.search.registry import get_backend, reset_backend
from ideas.votes.services import cast_vote
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

ALICE_NAME, BRUNO_NAME = "Alice Zéphyrine", "Bruno Quillard"
ALICE_EMAIL, BRUNO_EMAIL = "alice.zephyrine@reseau-canope.fr", "bruno.quillard@reseau-canope.fr"
BRUNO_SECRET_TITLE = "Idée confidentielle de Bruno"
BRUNO_HIDDEN_TITLE = "Idée masquée de Bruno"
BRUNO_COMMENT = "Merci @Alice Zéphyrine, je complète avec un détail de Bruno."
BRUNO_IDEA_REASON = "raison-du-masquage-de-l-idee-de-bruno"
BRUNO_COMMENT_REASON = "raison-du-masquage-du-commentaire-de-bruno"
ALICE_IDEA_REASON = "raison-du-masquage-de-l-idee-d-alice"
ALICE_REPORT_DETAILS = "Précisions du signalement d'Alice"
SUSPENSION_REASON = "Motif de la suspension d'Alice"


@dataclass
class World:
    alice: User
    bruno: User
    facilitator: User
    admin: User
    open: Community
    private: Community
    alice_idea: Idea  # open, spells her name
    alice_private_idea: Idea  # private, hidden by the moderation
    bruno_idea: Idea  # private
    bruno_hidden_idea: Idea  # open, hidden after Alice supported it
    alice_comment: Comment
    bruno_comment: Comment  # mentions Alice, hidden


def _theme_ids() -> list[int]:
    return [_db.session.scalar(_db.select(Theme.id).order_by(Theme.id).limit(1))]


def _post(author, community, title, body) -> Idea:
    idea = ideation.post_idea(author, community, title=title, body=body,
                              theme_ids=_theme_ids(), tags="papier")
    _db.session.commit()
    return idea


@pytest.fixture
def world(db) -> World:
    alice = UserFactory(email=ALICE_EMAIL, display_name=ALICE_NAME)
    bruno = UserFactory(email=BRUNO_EMAIL, display_name=BRUNO_NAME)
    facilitator = UserFactory(display_name="Fanny Animatrice")
    admin = UserFactory(display_name="Admin Général", role="admin")
    open_community = CommunityFactory(name="Sobriété numérique")
    private_community = CommunityFactory(name="Cercle des directions", is_private=True)
    for community in (open_community, private_community):
        MembershipFactory(user=facilitator, community=community, role="facilitator")
        MembershipFactory(user=alice, community=community)
    MembershipFactory(user=bruno, community=private_community)

    alice_idea = _post(alice, open_community, "Des gourdes pour chaque atelier",
                       "Proposée par Alice Zéphyrine, atelier 86 : des gourdes pour tous.")
    alice_private_idea = _post(alice, private_community, "Un tableau partagé des trajets",
                               "Pour organiser le covoiturage.")
    bruno_idea = _post(bruno, private_community, BRUNO_SECRET_TITLE, "Un texte de Bruno.")
    bruno_hidden_idea = _post(bruno, open_community, BRUNO_HIDDEN_TITLE, "Un autre texte.")

    cast_vote(alice, bruno_idea)
    cast_vote(alice, bruno_hidden_idea)
    follow_idea(alice, bruno_idea)
    follow_community(alice, open_community)
    alice_comment = post_comment(alice, bruno_idea, "Bonne idée, je soutiens.")
    bruno_comment = post_comment(bruno, alice_private_idea, BRUNO_COMMENT)
    _db.session.commit()
    moderation.report_item(alice, bruno_comment, "other", ALICE_REPORT_DETAILS)
    set_preferences(alice, {Kind.COMMENT_ON_MY_IDEA: Frequency.WEEKLY})
    _db.session.commit()
    moderation.hide_item(facilitator, bruno_comment, BRUNO_COMMENT_REASON)
    moderation.hide_item(facilitator, bruno_hidden_idea, BRUNO_IDEA_REASON)
    moderation.hide_item(facilitator, alice_private_idea, ALICE_IDEA_REASON)
    suspension = suspend_user(admin, alice, SUSPENSION_REASON, None)
    _db.session.commit()
    lift_suspension(admin, suspension)
    _db.session.commit()
    dispatch.run_once()  # immediate emails into the outbox (no SMTP: they stay pending)
    _db.session.commit()
    return World(alice, bruno, facilitator, admin, open_community, private_community,
                 alice_idea, alice_private_idea, bruno_idea, bruno_hidden_idea, alice_comment,
                 bruno_comment)


@pytest.fixture
def erasure_log(app, tmp_path):
    saved = app.config["ERASURE_LOG"]
    app.config["ERASURE_LOG"] = str(tmp_path / "erasures.log")
    yield tmp_path / "erasures.log"
    app.config["ERASURE_LOG"] = saved


ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


@pytest.fixture(params=["whoosh", "postgres"] if ON_POSTGRES else ["whoosh"])
def search_backend(request, app, db, tmp_path):
    """Each search test on Whoosh, and on PostgreSQL too when the suite runs on it (absent,
    never skipped, on SQLite). Request it before `world`, so that the world is indexed."""
    saved = {key: app.config[key] for key in ("SEARCH_BACKEND", "SEARCH_INDEX_DIR")}
    app.config.update(SEARCH_BACKEND=request.param, SEARCH_INDEX_DIR=str(tmp_path / "index"))
    reset_backend(app)
    backend = get_backend(app)
    if request.param == "whoosh":
        backend.index.create()
    yield backend
    app.config.update(saved)
    reset_backend(app)
