"""French demo data for a first run: realistic communities, agents, facilitators."""

import random
from contextlib import nullcontext

from ideas.accounts import services as accounts
from ideas.accounts.models import Role, User
from ideas.communities import services as communities
from ideas.communities.models import Community
from ideas.extensions import db
from ideas.reference.models import Territory, Theme
from ideas.reference.seed import seed_reference

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
    steps = len(FIRST_NAMES) + len(COMMUNITIES)
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
    db.session.flush()
    return [(key, email) for key, email, *_ in DEMO_LOGINS]
