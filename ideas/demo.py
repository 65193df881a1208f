"""French demo data for a first run: realistic communities, agents, facilitators, and ideas
with their comments, supports and follows; their status history, the catalogue of services over
several years and research interventions (ideas.demo_offer).

Everything goes through the services (ideas through the importer, which posts them with the
form's rules), so the demo data is valid data and every counter matches its rows. Running it
twice creates nothing twice: ideas carry an external reference, and discussions are only added
to the ideas created by this run."""

import random
from contextlib import nullcontext
from datetime import datetime, timedelta

from ideas.accounts import services as accounts
from ideas.accounts.models import Role, User
from ideas.comments.models import Comment
from ideas.comments.services import post_comment
from ideas.communities import services as communities
from ideas.communities.models import Community, MemberRole, Membership, MembershipStatus
from ideas.demo_ideas import DEMO_IDEAS
from ideas.demo_offer import (
    seed_interventions,
    seed_merged_duplicate,
    seed_services,
    walk_demo_ideas,
)
from ideas.demo_services import DEMO_SERVICES, FIRST_INTERVENTION_YEAR
from ideas.extensions import db
from ideas.follows.services import follow_community, follow_idea
from ideas.ideation.import_reading import Record
from ideas.ideation.importer import import_records
from ideas.ideation.models import Idea, IdeaStatus
from ideas.moderation.models import Report, ReportReason
from ideas.moderation.services import report_item
from ideas.reference.models import Territory, Theme
from ideas.reference.seed import seed_reference
from ideas.utils import utcnow
from ideas.votes.models import Vote
from ideas.votes.services import cast_vote

DEMO_PASSWORD = "fabrique-demo-2026"  # noqa: S105 - demo data only, printed on purpose

DEMO_LOGINS = [
    ("agent", "agent@demo.reseau-canope.fr", "Camille Martin", Role.AGENT, "atelier-86"),
    ("facilitator", "animatrice@demo.reseau-canope.fr", "Nadia Benali", Role.AGENT,
     "dir-nouvelle-aquitaine"),
    ("manager", "direction@demo.reseau-canope.fr", "Hélène Rousseau", Role.MANAGER, "siege"),
    ("admin", "admin@demo.reseau-canope.fr", "Thomas Leroy", Role.ADMIN, "siege"),
]

FIRST_NAMES = ["Julie", "Marc", "Sophie", "Karim", "Élodie", "Pierre", "Inès", "Lucas",
               "Chloé", "Mathieu", "Aïcha", "Nicolas", "Léa", "Olivier", "Manon", "Yann",
               "Sarah", "Benoît", "Fatou", "Guillaume"]
LAST_NAMES = ["Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Garcia", "David",
              "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
              "Blanc", "Guérin", "Boyer", "Chevalier"]

COMMUNITIES = [
    ("Sobriété numérique au quotidien", False, None, ["sobriete-numerique", "dechets-papier"],
     "Réduire l'empreinte de nos usages numériques : messagerie, visioconférence, stockage, "
     "matériel. On partage des gestes simples et on mesure leurs effets."),
    ("Mobilités douces entre Ateliers", False, "dir-nouvelle-aquitaine",
     ["mobilite-durable"],
     "Covoiturage, vélo de service, trains plutôt que voiture pour les missions : "
     "construisons ensemble des solutions adaptées à nos territoires."),
    ("Zéro papier dans nos formations", False, None, ["dechets-papier", "economie-circulaire"],
     "Supports dématérialisés, impressions raisonnées, réemploi des fournitures des ateliers."),
    ("Énergie et bâtiments du siège", False, "siege", ["energie-fluides", "batiments-surfaces"],
     "Chauffage, éclairage, occupation des surfaces : des idées pour consommer moins au siège."),
    ("Formation entre pairs", False, None, ["formation-pairs", "partage-pratiques"],
     "Des agents forment des agents : ateliers courts, tutorat, vidéos maison, retours "
     "d'expérience."),
    ("Cartographie des expertises", False, None, ["cartographie-expertises"],
     "Qui sait faire quoi dans le réseau ? Recenser et rendre visibles les savoir-faire."),
    ("Achats responsables en Occitanie", False, "dir-occitanie", ["achats-responsables"],
     "Clauses environnementales et sociales, fournisseurs locaux, matériel reconditionné."),
    ("Biodiversité autour des Ateliers", False, None, ["biodiversite"],
     "Jardins pédagogiques, nichoirs, gestion différenciée des espaces verts."),
    ("Égalité professionnelle et inclusion", True, None, ["egalite-inclusion"],
     "Un espace de confiance pour parler d'égalité, de handicap et d'inclusion au travail."),
    ("Réseau des animateurs numériques", True, None, ["partage-pratiques", "experimentation"],
     "Communauté privée des animateurs et animatrices numériques des Ateliers Canopé."),
]


def _territory(code: str | None) -> Territory | None:
    return db.session.scalar(db.select(Territory).filter_by(code=code)) if code else None


def _user(email, name, role, territory_code) -> User:
    user = accounts.get_user_by_email(email)
    if user is None:
        territory = _territory(territory_code)
        user = accounts.create_user(email, name, DEMO_PASSWORD, role=role,
                                    territory_id=territory.id if territory else None,
                                    locale="fr")
    return user


def seed_demo(progress=None, seed: int = 2026) -> list[tuple[str, str]]:
    """Idempotent enough to run twice; flushes only. Returns the demo logins to print."""
    rng = random.Random(seed)
    seed_reference()
    demo_users = {key: _user(email, name, role, code)
                  for key, email, name, role, code in DEMO_LOGINS}
    ateliers = list(db.session.scalars(db.select(Territory).where(
        Territory.code.like("atelier-%"))))
    today = utcnow().date()
    steps = (len(FIRST_NAMES) + len(COMMUNITIES) + len(DEMO_IDEAS) + len(DEMO_SERVICES)
             + today.year - FIRST_INTERVENTION_YEAR + 1)
    bar = progress(length=steps, label="Demo data") if progress else nullcontext()
    agents = []
    with bar as tick:
        for first in FIRST_NAMES:
            last = rng.choice(LAST_NAMES)
            email = f"{first}.{last}".lower().replace("é", "e").replace("ï", "i") + (
                "@demo.reseau-canope.fr")
            agents.append(_user(email, f"{first} {last}", Role.AGENT, rng.choice(ateliers).code))
            tick and tick.update(1)
        themes = {t.code: t.id for t in db.session.scalars(db.select(Theme))}
        for name, private, territory_code, theme_codes, description in COMMUNITIES:
            community = db.session.scalar(db.select(Community).filter_by(name=name))
            if community is None:
                territory = _territory(territory_code)
                community = communities.create_community(
                    demo_users["manager"], name=name, description=description,
                    is_private=private, territory_id=territory.id if territory else None,
                    theme_ids=[themes[c] for c in theme_codes])
                communities.set_facilitator(community, demo_users["facilitator"], True)
                for agent in rng.sample(agents, rng.randint(4, 12)):
                    if private:
                        communities.set_facilitator(community, agent, False)
                    else:
                        communities.join(agent, community)
            tick and tick.update(1)
        first_open = db.session.scalar(db.select(Community).filter_by(name=COMMUNITIES[0][0]))
        communities.join(demo_users["agent"], first_open)
        private = db.session.scalar(db.select(Community).filter_by(name=COMMUNITIES[-1][0]))
        communities.request_to_join(demo_users["agent"], private,
                                    "Je souhaite partager mes retours d'ateliers Scratch.")
        _follow_communities([*agents, demo_users["agent"]])
        _seed_ideas(rng, demo_users, agents, tick)
        now = utcnow()
        # The catalogue's ideas are many and old: a few supports each keep seeding quick.
        for idea in seed_services(rng, demo_users, agents, now, COMMUNITIES, tick):
            _seed_supports(rng, idea, _participants(idea.community), now, bounds=(2, 6))
        seed_merged_duplicate(rng, demo_users, rng.choice(agents), now, COMMUNITIES)
        seed_interventions(demo_users, today, COMMUNITIES, tick)
        _seed_reports(rng, demo_users["facilitator"])
    db.session.flush()
    return [(key, email) for key, email, *_ in DEMO_LOGINS]


# -- A few open reports, so the facilitator's queue and badge show something on first run

DEMO_REPORTS = [  # (reason, details, reporters): below the automatic hiding threshold
    (ReportReason.DUPLICATE, "Une idée très proche existe déjà dans cette communauté.", 2),
    (ReportReason.OFF_TOPIC, "", 1),
    (ReportReason.PERSONAL_DATA, "Le commentaire cite le numéro de téléphone d'un collègue.", 1),
]


def _seed_reports(rng: random.Random, facilitator: User) -> None:
    """Two ideas and a comment of the demo facilitator's communities, reported by members."""
    if db.session.scalar(db.select(Report.id).limit(1)) is not None:
        return
    ideas = list(db.session.scalars(
        db.select(Idea).join(Membership, Membership.community_id == Idea.community_id)
        .where(Membership.user_id == facilitator.id, Membership.role == MemberRole.FACILITATOR,
               Idea.status == IdeaStatus.SUBMITTED).order_by(Idea.id).limit(20)))
    first, second, third = rng.sample(ideas, 3)
    comment = db.session.scalar(db.select(Comment).where(Comment.idea_id == third.id)
                                .order_by(Comment.id).limit(1))
    for (item, idea), (reason, details, count) in zip(
            [(first, first), (second, second), (comment or third, third)], DEMO_REPORTS,
            strict=True):
        reporters = [user for user in _participants(idea.community)
                     if user.id not in (item.author_id, facilitator.id)]
        for reporter in rng.sample(reporters, count):
            report_item(reporter, item, reason, details)


# -- Ideas and their discussions

# How many supports an idea gathers, by state: adopted ideas were the popular ones.
SUPPORTS = {IdeaStatus.ADOPTED: (8, 18), IdeaStatus.SELECTED: (6, 14),
            IdeaStatus.PILOTING: (6, 14), IdeaStatus.IN_REVIEW: (3, 10),
            IdeaStatus.SUBMITTED: (0, 7), IdeaStatus.DECLINED: (1, 5)}


def _follow_communities(agents: list[User]) -> None:
    """A fixed pattern (no randomness: a second run must ask for the very same follows)."""
    names = [name for name, private, *_ in COMMUNITIES if not private]
    for n, agent in enumerate(agents):
        for name in (names[n % len(names)], names[(n * 3 + 1) % len(names)]):
            follow_community(agent, db.session.scalar(db.select(Community).filter_by(name=name)))


def _participants(community: Community) -> list[User]:
    """Who may discuss its ideas: its active members (open communities: anyone, but members
    are the ones who care)."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id,
               Membership.status == MembershipStatus.ACTIVE).order_by(User.id)))


def _moments(rng: random.Random, start: datetime, end: datetime, n: int) -> list[datetime]:
    span = max((end - start).total_seconds(), 60)
    return sorted(start + timedelta(seconds=rng.uniform(30, span)) for _ in range(n))


def _seed_supports(rng, idea: Idea, people: list[User], now: datetime,
                   bounds: tuple[int, int] | None = None) -> None:
    low, high = bounds or SUPPORTS.get(idea.status, (0, 0))
    others = [user for user in people if user.id != idea.author_id]
    voters = rng.sample(others, min(rng.randint(low, high), len(others)))
    for voter, moment in zip(voters, _moments(rng, idea.created_at, now, len(voters)),
                             strict=True):
        cast_vote(voter, idea)
        db.session.execute(db.update(Vote).where(Vote.idea_id == idea.id,
                                                 Vote.user_id == voter.id)
                           .values(created_at=moment))
        if rng.random() < 0.3:
            follow_idea(voter, idea)


def _seed_comments(rng, idea: Idea, threads, people: list[User], now: datetime) -> None:
    others = [user for user in people if user.id != idea.author_id] or people
    count = sum(1 + len(replies) for _text, replies in threads)
    moments = iter(_moments(rng, idea.created_at, now, count))
    for text, replies in threads:
        commenter = rng.choice(others)
        comment = post_comment(commenter, idea, text)
        comment.created_at = next(moments)
        if rng.random() < 0.5:
            follow_idea(commenter, idea)
        for n, reply_text in enumerate(replies):
            # The author answers first; then the thread goes on between colleagues.
            replier = idea.author if n == 0 and idea.author in people else rng.choice(people)
            reply = post_comment(replier, idea, reply_text, parent=comment)
            reply.created_at = next(moments)


def _seed_ideas(rng: random.Random, demo_users: dict[str, User], agents: list[User],
                tick) -> None:
    now = utcnow()
    records = []
    for line, item in enumerate(DEMO_IDEAS, start=1):
        author = demo_users[item["author"]] if item["author"] else rng.choice(agents)
        created_at = now - timedelta(days=item["days_ago"], hours=rng.randint(1, 9),
                                     minutes=rng.randint(0, 59))
        records.append(Record(line, {
            "title": item["title"], "body": item["body"],
            "community": COMMUNITIES[item["community"]][0], "themes": item["themes"],
            "tags": item["tags"], "sdgs": item["sdgs"], "author_email": author.email,
            "created_at": created_at.isoformat() + "+00:00", "external_ref": item["ref"]}))
    report = import_records(records)
    if report.errors:  # a mistake in demo_ideas.py: say which, rather than half a demo
        raise RuntimeError("; ".join(f"demo idea {e.line}: {e.message}" for e in report.errors))
    items = {item["ref"]: item for item in DEMO_IDEAS}
    tick and tick.update(report.already_imported)
    # Posted as submitted, then moved through the workflow: their history is real.
    walk_demo_ideas(rng, report.created, {ref: item["status"] for ref, item in items.items()},
                    demo_users, now)
    for idea in report.created:
        people = _participants(idea.community)
        _seed_comments(rng, idea, items[idea.external_ref]["comments"], people, now)
        _seed_supports(rng, idea, people, now)
        tick and tick.update(1)
