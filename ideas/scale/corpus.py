"""100,000 varied French ideas for the search benchmark, from built-in vocabulary.

Deterministic (seeded): titles and bodies are assembled from actions, objects (common ones, or
a head noun and a complement drawn with Zipf weights), places (regions, services, ~95 Ateliers
named after their department), goals and sentence templates about RSE and the learning
organisation: thousands of distinct words with a long tail, accents, elisions, plurals,
acronyms — not three words repeated."""

import random
from datetime import datetime, timedelta

ACTIONS = [
    "Réduire", "Mutualiser", "Mettre en place", "Créer", "Organiser", "Développer", "Installer",
    "Généraliser", "Expérimenter", "Partager", "Former les agents sur", "Remplacer", "Limiter",
    "Valoriser", "Recycler", "Réemployer", "Cartographier", "Accompagner",
    "Sensibiliser les équipes sur",
    "Numériser", "Dématérialiser", "Végétaliser", "Optimiser", "Encourager", "Supprimer",
    "Lancer", "Ouvrir", "Proposer", "Animer", "Simplifier", "Mesurer", "Documenter",
    "Trier", "Composter", "Réparer", "Collecter", "Prêter", "Planifier", "Évaluer", "Repenser",
]
OBJECTS = [
    "la consommation d'énergie", "les déplacements domicile-travail", "le covoiturage",
    "les vélos de service", "le papier", "les impressions couleur", "les déchets de bureau",
    "le tri sélectif", "le compostage des biodéchets", "les gobelets jetables",
    "le mobilier de bureau", "les équipements numériques", "les courriels volumineux",
    "le stockage des données", "les visioconférences", "les achats responsables",
    "les fournitures scolaires", "le chauffage des locaux", "la climatisation", "l'éclairage",
    "la consommation d'eau", "les espaces verts", "la biodiversité", "les ruches", "un potager",
    "la qualité de vie au travail", "le télétravail", "les formations entre pairs",
    "les pratiques pédagogiques", "les expertises internes", "le tutorat des nouveaux agents",
    "l'égalité professionnelle", "l'inclusion des personnes handicapées", "l'accessibilité",
    "la communication interne", "les réunions d'équipe", "les ressources pédagogiques",
    "les ateliers de réparation", "les cartouches d'encre", "les piles usagées", "les batteries",
    "les ordinateurs reconditionnés", "les smartphones professionnels", "les serveurs",
    "les véhicules électriques", "les bornes de recharge", "les navettes", "les trajets",
    "les missions en train", "les colis", "les emballages", "les affiches", "les livres",
    "les expositions itinérantes", "la médiation numérique", "l'éducation aux médias",
    "l'éducation au développement durable", "les objectifs de développement durable",
    "la démarche RSE", "le bilan carbone", "les écogestes", "la sobriété numérique",
    "les salles de réunion", "les badges", "les clés USB", "les imprimantes", "le recyclage",
    "l'économie circulaire", "le réemploi du matériel", "les dons de matériel",
    "la récupération des eaux de pluie", "les panneaux solaires", "l'isolation des bâtiments",
    "les horaires d'ouverture", "l'accueil des publics", "les partenariats locaux",
    "les tiers-lieux", "les fablabs", "les résidences d'artistes", "les podcasts",
    "les webinaires", "les MOOC", "les classes numériques", "les ENT", "le RGPD",
    "la cybersécurité", "les mots de passe", "la veille documentaire", "les archives",
    "la signalétique", "les plantes d'intérieur", "la cantine", "les circuits courts",
    "le gaspillage alimentaire", "les fontaines à eau", "les gourdes", "le bruit",
    "les open spaces", "le droit à la déconnexion", "la prévention des risques",
    "les premiers secours", "le mécénat de compétences", "le bénévolat", "les stagiaires",
    "les apprentis", "la mobilité interne", "les entretiens annuels", "les fiches de poste",
]
# A long tail: head nouns and complements combine into thousands of distinct objects, drawn
# with Zipf weights (a few topics everywhere, most rare), as real proposals are.
NOUNS = [
    "ateliers", "bornes", "bacs", "tableaux", "casiers", "vestiaires", "douches", "parkings",
    "abris", "ruchers", "nichoirs", "haies", "vergers", "composteurs", "lombricomposteurs",
    "gobelets", "mugs", "carafes", "fontaines", "thermos", "lampes", "détecteurs", "capteurs",
    "thermostats", "radiateurs", "volets", "stores", "fenêtres", "portes", "ascenseurs",
    "escaliers", "toitures", "façades", "cours", "jardins", "terrasses", "patios", "halls",
    "bibliothèques", "ludothèques", "grainothèques", "matériauthèques", "outilthèques",
    "tablettes", "ordinateurs", "écrans", "claviers", "souris", "câbles", "chargeurs",
    "imprimantes", "photocopieurs", "scanners", "projecteurs", "enceintes", "micros",
    "caméras", "robots", "drones", "kits", "maquettes", "malles", "valises", "mallettes",
    "jeux", "puzzles", "cartes", "affiches", "flyers", "brochures", "catalogues", "guides",
    "fiches", "tutoriels", "vidéos", "capsules", "podcasts", "webinaires", "ateliers-débats",
    "cafés pédagogiques", "apéros numériques", "hackathons", "défis", "concours", "challenges",
    "badges", "certificats", "parcours", "modules", "séquences", "scénarios", "rallyes",
    "escape games", "balades", "visites", "sorties", "chantiers", "permanences", "tournées",
    "navettes", "vélos cargos", "trottinettes", "voitures", "utilitaires", "camionnettes",
    "triporteurs", "covoiturages", "autopartages", "billets", "abonnements", "forfaits",
    "contrats", "marchés", "cahiers des charges", "clauses", "labels", "chartes", "guides",
    "plans", "budgets", "indicateurs", "tableaux de bord", "bilans", "audits", "diagnostics",
    "inventaires", "annuaires", "cartographies", "référentiels", "glossaires", "lexiques",
    "binômes", "tandems", "mentors", "tuteurs", "parrains", "ambassadeurs", "référents",
    "correspondants", "relais", "réseaux", "communautés", "cercles", "collectifs", "groupes",
]
COMPLEMENTS = [
    "de vélos", "de tri", "à compost", "en bois", "en carton", "recyclés", "reconditionnés",
    "solaires", "connectés", "partagés", "mutualisés", "itinérants", "numériques", "sonores",
    "en braille", "en FALC", "bilingues", "en occitan", "en breton", "en créole",
    "pour les écoles", "pour les collèges", "pour les lycées", "pour les familles",
    "pour les nouveaux arrivants", "pour les seniors", "pour les apprentis", "pour les élus",
    "de la direction", "des médiateurs", "des documentalistes", "des formateurs",
    "du service informatique", "de l'accueil", "de la logistique", "des ressources humaines",
    "anti-gaspillage", "zéro déchet", "bas carbone", "sans plastique", "éco-conçus",
    "accessibles", "inclusifs", "collaboratifs", "participatifs", "intergénérationnels",
    "du mercredi", "du midi", "du vendredi", "d'été", "d'hiver", "de rentrée",
]
DEPARTMENTS = [
    "Ain", "Aisne", "Allier", "Ardèche", "Ardennes", "Ariège", "Aube", "Aude", "Aveyron",
    "Calvados", "Cantal", "Charente", "Cher", "Corrèze", "Creuse", "Dordogne", "Doubs",
    "Drôme", "Eure", "Finistère", "Gard", "Gers", "Gironde", "Hérault", "Indre", "Isère",
    "Jura", "Landes", "Loiret", "Lot", "Lozère", "Manche", "Marne", "Mayenne", "Meuse",
    "Morbihan", "Moselle", "Nièvre", "Nord", "Oise", "Orne", "Pas-de-Calais", "Sarthe",
    "Savoie", "Somme", "Tarn", "Var", "Vaucluse", "Vendée", "Vienne", "Vosges", "Yonne",
    "Essonne", "Val-d'Oise", "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte",
]


def _zipf(count: int) -> list[float]:
    return [1 / (rank + 1) for rank in range(count)]


PLACES = [
    "au siège", "dans chaque Atelier Canopé", "à la direction territoriale", "au Clémi",
    "au Munaé", "dans les salles de réunion", "sur chaque site", "dans l'académie",
    "avec les partenaires", "en Nouvelle-Aquitaine", "en Bretagne", "en Occitanie",
    "dans les Hauts-de-France", "en Île-de-France", "à La Réunion", "en Guyane",
    "en Auvergne-Rhône-Alpes", "dans le Grand Est", "en Normandie", "en Corse",
    "dans les médiathèques", "lors des salons", "pendant les formations", "à l'accueil",
    "dans les établissements scolaires", "auprès des enseignants", "dans les services support",
    "à l'Atelier Canopé 86", "à l'Atelier Canopé 13", "à l'Atelier Canopé 974",
]
GOALS = [
    "pour réduire notre empreinte carbone", "afin de respecter les ODD", "dans la démarche RSE",
    "pour gagner du temps", "pour l'EDD", "et faire des économies", "pour les usagers",
    "pour améliorer le bien-être des équipes", "afin de limiter les déchets",
    "pour partager les bonnes pratiques", "pour valoriser les compétences",
    "et mesurer les progrès chaque trimestre", "sans coût supplémentaire",
    "avec un budget modeste", "pour montrer l'exemple", "pour simplifier le quotidien",
]
PARTNERS = [
    "les collectivités", "les associations locales", "les universités", "les rectorats",
    "les laboratoires de recherche", "les entreprises du territoire", "les ressourceries",
    "les familles", "les élèves", "les professeurs documentalistes", "les éditeurs",
]
INDICATORS = [
    "le nombre de kilomètres évités", "les kilowattheures économisés", "les ramettes achetées",
    "le taux de participation", "le nombre d'agents formés", "les kilos de déchets triés",
    "la satisfaction des usagers", "le nombre de prêts", "les tonnes de CO2 évitées",
]
SENTENCES = [
    "{action} {object} {place} {goal}.",
    "Aujourd'hui, {object} représente une part importante de nos dépenses {place}.",
    "Nous pourrions commencer par un test de {months} mois {place}.",
    "Les agents {place} ont déjà expérimenté {object} avec succès.",
    "Cela concerne aussi {object} et {object2}.",
    "Un indicateur simple : {indicator}.",
    "Il faudrait associer {partner} dès le départ.",
    "L'idée s'inspire de ce qui se fait {place}.",
    "Le coût est faible et les bénéfices rapides {goal}.",
    "Qui serait volontaire pour piloter {object} ?",
    "On pourrait s'appuyer sur l'expertise des collègues {place}.",
    "La direction a déjà validé le principe de {object} l'an dernier.",
]
COMMENTS = [
    "Très bonne idée, nous le faisons déjà {place}.",
    "Attention au coût de {object}.",
    "Je soutiens ! Il faudrait aussi penser à {object}.",
    "Nous pouvons partager notre retour d'expérience sur {object}.",
    "Qui contacter pour participer ?",
    "C'est prévu dans le plan d'action {place}.",
]
TAGS = ["énergie", "papier", "vélo", "tri", "numérique", "rse", "odd", "edd", "formation",
        "mobilité", "achats", "eau", "biodiversité", "réemploi", "qvt", "inclusion", "données",
        "climat", "déchets", "partage"]
STATUSES = (["submitted"] * 50 + ["in_review"] * 20 + ["selected"] * 8 + ["piloting"] * 6
            + ["adopted"] * 5 + ["declined"] * 6 + ["merged"] * 2 + ["withdrawn"] * 3)
START = datetime(2021, 1, 1)
SPAN_DAYS = 5 * 365


class Generator:
    def __init__(self, seed: int = 2026):
        self.random = random.Random(seed)
        shuffler = random.Random(seed + 1)
        self.nouns = NOUNS[:]
        shuffler.shuffle(self.nouns)  # which topics are frequent: fixed by the seed
        self.noun_weights = _zipf(len(self.nouns))
        self.object_weights = _zipf(len(OBJECTS))

    def thing(self) -> str:
        """Half the time a common object, half the time a rarer noun + complement."""
        r = self.random
        if r.random() < 0.5:
            return r.choices(OBJECTS, self.object_weights)[0]
        noun = r.choices(self.nouns, self.noun_weights)[0]
        return f"les {noun} {r.choice(COMPLEMENTS)}"

    def place(self) -> str:
        r = self.random
        if r.random() < 0.4:
            number = r.randrange(1, 96)
            return f"à l'Atelier Canopé {number:02d} – {r.choice(DEPARTMENTS)}"
        return r.choice(PLACES)

    def _fill(self, template: str) -> str:
        r = self.random
        return template.format(action=r.choice(ACTIONS), object=self.thing(),
                               object2=self.thing(), place=self.place(),
                               goal=r.choice(GOALS), partner=r.choice(PARTNERS),
                               indicator=r.choice(INDICATORS), months=r.randint(2, 12))

    def title(self) -> str:
        r = self.random
        title = f"{r.choice(ACTIONS)} {self.thing()} {self.place()}"
        return title[:150]

    def body(self) -> str:
        return " ".join(self._fill(self.random.choice(SENTENCES))
                        for _ in range(self.random.randint(3, 7)))

    def comment(self) -> str:
        return self._fill(self.random.choice(COMMENTS))

    def idea(self, community_ids: list[int], theme_ids: list[int], author_ids: list[int]):
        r = self.random
        body = self.body()
        return {
            "community_id": r.choice(community_ids),
            "author_id": r.choice(author_ids),
            "title": self.title(),
            "body": body,
            "body_html": f"<p>{body}</p>",
            "status": r.choice(STATUSES),
            "vote_count": int(r.paretovariate(1.5)) - 1,
            "created_at": START + timedelta(minutes=r.randrange(SPAN_DAYS * 24 * 60)),
            "themes": r.sample(theme_ids, r.randint(1, 3)),
            "tags": r.sample(TAGS, r.randint(0, 3)),
            "sdgs": r.sample(range(1, 18), r.randint(0, 2)),
            "comments": [self.comment() for _ in range(r.choice((0, 0, 0, 1, 1, 2, 3)))],
        }


def queries(seed: int = 7, count: int = 200) -> list[str]:
    """Mixed queries: words, pairs, phrases, OR, exclusions, typos, no accents, upper case.
    Words are taken from generated titles, so common topics are searched more, as they are."""
    r = random.Random(seed)
    generator = Generator(seed=seed)
    titles = [generator.title() for _ in range(2000)]
    words = [w.strip(",.'") for t in titles for w in t.split()
             if len(w.strip(",.'")) >= 4 and "'" not in w and "–" not in w]
    long = [w for w in words if len(w) >= 6]
    texts = []
    for n in range(count):
        kind = n % 10
        a, b = r.choice(words), r.choice(words)
        if kind in (0, 1, 2):
            texts.append(a)
        elif kind in (3, 4):
            texts.append(f"{a} {b}")
        elif kind == 5:
            title = r.choice(titles).split()
            start = r.randrange(0, max(1, len(title) - 2))
            texts.append('"' + " ".join(title[start:start + 2]) + '"')
        elif kind == 6:
            texts.append(f"{a} OR {b}")
        elif kind == 7:
            texts.append(f"{a} -{b}")
        elif kind == 8:
            word = r.choice(long)
            i = r.randrange(1, len(word) - 1)
            texts.append(word[:i] + word[i + 1:])  # one letter dropped
        else:
            texts.append(a.upper() if n % 20 == 9 else _strip_accents(a))
    return texts


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
