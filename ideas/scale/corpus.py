"""Varied French text for the scale seed (`flask seed-scale`) and the benchmarks, from built-in
vocabulary.

Deterministic (seeded): titles and bodies are assembled from actions, objects (common ones, or
a head noun and a complement drawn with Zipf weights), places (regions, services, ~95 Ateliers
named after their department), goals and sentence templates about RSE and the learning
organisation: thousands of distinct words with a long tail, accents, elisions, plurals,
acronyms — not three words repeated. Also agents' names, communities, official answers,
services and research interventions."""

import functools
import random
import string
from itertools import accumulate

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
    """Cumulative Zipf weights (what `random.choices(cum_weights=…)` takes without re-adding
    them on every call)."""
    return list(accumulate(1 / (rank + 1) for rank in range(count)))


@functools.cache
def _fields(template: str) -> tuple[str, ...]:
    """The placeholders a template uses: only those are drawn."""
    return tuple({name for _, name, _, _ in string.Formatter().parse(template) if name})


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
    "Nous avons essayé {object} pendant {months} mois : les résultats sont encourageants.",
    "Est-ce compatible avec {object} ? Je crains un conflit de calendrier.",
    "Bonne piste, mais il faudrait d'abord mesurer {indicator}.",
    "Je suis volontaire pour tester {place}.",
    "Les collègues {place} ont une fiche pratique là-dessus, je vous la transmets.",
    "Pourquoi ne pas associer {partner} ?",
    "D'accord sur le principe ; le vrai sujet, c'est {object}.",
    "Il existe déjà un marché national pour {object}, vérifions avant de lancer quoi que ce soit.",
    "Plutôt que {object}, nous avons choisi {object2} : moins cher et plus simple.",
    "Merci pour cette proposition claire. {action} {object} serait un bon premier pas.",
    "Je relaie aux {noun} de mon équipe.",
    "Ça rejoint l'idée sur {object} discutée le mois dernier.",
    "Point de vigilance : l'accessibilité pour les collègues en situation de handicap.",
    "Nous manquons de temps pour animer ça {place}, mais le principe me plaît.",
    "Le budget pourrait venir du plan de sobriété {goal}.",
    "Une réunion de lancement {place} avant l'été ?",
]
REPLIES = [
    "Merci pour le retour !", "Tout à fait d'accord.", "Je vous écris en message privé.",
    "Bonne remarque, je complète la proposition.", "On en parle à la prochaine réunion ?",
    "C'est noté, je vérifie {place}.", "Pas sûr que ce soit possible {place}, à voir.",
    "Excellente nouvelle, merci {name} !", "Je partage l'avis de {name}.",
    "Oui, et {object} aussi.", "Nous l'avons fait {place} : ça marche bien.",
]
ANSWERS = {
    "in_review": [
        "La proposition est transmise au service concerné pour une première étude.",
        "Nous étudions la faisabilité {place} ; retour prévu sous {months} semaines.",
    ],
    "selected": [
        "Retenue : elle répond aux priorités du plan RSE et son coût est maîtrisé. Un pilote "
        "sera désigné {place}.",
        "La direction retient cette idée ; elle sera inscrite au programme de travail de "
        "l'année, avec {indicator} comme indicateur.",
        "Retenue pour une mise en œuvre progressive, en lien avec {partner}.",
    ],
    "piloting": [
        "Expérimentation lancée {place} pour {months} mois.",
        "Un test démarre {place} ; les résultats seront partagés avec la communauté.",
    ],
    "adopted": [
        "Adoptée : l'expérimentation est concluante, le service est généralisé.",
        "L'idée devient un service de l'offre, déployé {place}.",
    ],
    "declined": [
        "Non retenue : un marché national couvre déjà ce besoin.",
        "Non retenue pour cette année, faute de budget ; elle pourra être reproposée.",
        "Non retenue : les contraintes réglementaires ne le permettent pas {place}.",
        "Une solution équivalente existe déjà ; nous vous invitons à la faire connaître.",
    ],
    "merged": ["Fusionnée avec une proposition très proche, qui reprend ses soutiens."],
    "withdrawn": ["Retirée par son auteur ou son autrice."],
}
HIDE_REASONS = ["Données personnelles", "Hors sujet", "Propos irrespectueux", "Doublon", "Spam"]
FIRST_NAMES = [
    "Julie", "Marc", "Sophie", "Karim", "Élodie", "Pierre", "Inès", "Lucas", "Chloé",
    "Mathieu", "Aïcha", "Nicolas", "Léa", "Olivier", "Manon", "Yann", "Sarah", "Benoît",
    "Fatou", "Guillaume", "Camille", "Nadia", "Hélène", "Thomas", "Anne", "Jean-Pierre",
    "Marie", "François", "Isabelle", "Stéphane", "Nathalie", "Christophe", "Sandrine", "David",
    "Valérie", "Laurent", "Céline", "Sébastien", "Aurélie", "Frédéric", "Émilie", "Jérôme",
    "Claire", "Vincent", "Anaïs", "Rachid", "Mélanie", "Hugo", "Zoé", "Bruno", "Agnès",
    "Loïc", "Gaëlle", "Cédric", "Mireille", "Théo", "Salomé", "Damien", "Leïla", "Yves",
    "Pascale", "Maëlle", "Noémie", "Grégoire", "Soizic", "Kévin", "Dominique", "Josiane",
]
LAST_NAMES = [
    "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Blanc",
    "Guérin", "Boyer", "Chevalier", "Martin", "Bernard", "Thomas", "Petit", "Robert",
    "Richard", "Durand", "Leroy", "Rousseau", "Benali", "N'Diaye", "Le Gall", "Kerbrat",
    "Lopez", "Fontaine", "Gauthier", "Perrin", "Morin", "Clément", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rolland", "Hoarau", "Payet",
    "Nguyen", "Haddad", "Da Silva", "Lemaire", "Duval", "Joly", "Gaillard", "Barbier",
    "Arnaud", "Masson", "Marchand", "Dumas", "Brunet", "Schmitt", "Colin", "Pierre",
    "Renaud", "Caron", "Aubert", "Giraud", "Jacquet", "Bouvier", "Le Goff", "Etcheverry",
]
COMMUNITY_TOPICS = [
    "Sobriété numérique", "Mobilités douces", "Zéro papier", "Énergie et bâtiments",
    "Formation entre pairs", "Cartographie des expertises", "Achats responsables",
    "Biodiversité", "Égalité professionnelle", "Qualité de vie au travail",
    "Économie circulaire", "Réemploi du matériel", "Éducation aux médias",
    "Communication interne", "Accueil des publics", "Tiers-lieux et fablabs",
    "Expérimentation pédagogique", "Probité et intégrité", "Inclusion et accessibilité",
    "Alimentation durable", "Partage de pratiques", "Documentation et archives",
    "Numérique responsable", "Prévention des pollutions", "Eau et fluides",
]
SERVICE_KINDS = [
    "Parcours de formation", "Ressource en ligne", "Plateforme", "Accompagnement",
    "Journée d'étude", "Kit pédagogique", "Guide pratique", "Série de webinaires",
    "Malle itinérante", "Atelier", "Podcast", "Exposition",
]
STATED_ORIGINS = [
    "Commande nationale du ministère", "Partenariat avec une collectivité",
    "Équipe interne du siège", "Appel à projets européen", "Partenariat universitaire",
    "Demande d'un rectorat",
]
RESEARCHERS = ["Dr", "Pr", "Mme", "M."]
INSTITUTIONS = [
    "Université de Poitiers", "Université Bordeaux Montaigne", "CNAM", "INSPÉ de Bretagne",
    "Université de Lille", "Sciences Po Lyon", "Université de La Réunion", "CNRS",
    "Université Grenoble Alpes", "IFÉ – ENS de Lyon", "Université de Strasbourg",
]
TAGS = ["énergie", "papier", "vélo", "tri", "numérique", "rse", "odd", "edd", "formation",
        "mobilité", "achats", "eau", "biodiversité", "réemploi", "qvt", "inclusion", "données",
        "climat", "déchets", "partage", "covoiturage", "télétravail", "compost", "jardin",
        "chauffage", "éclairage", "impression", "recyclage", "accessibilité", "handicap",
        "égalité", "tutorat", "mentorat", "webinaire", "podcast", "ent", "rgpd", "cybersécurité",
        "archives", "cantine", "circuits-courts", "gaspillage", "bruit", "déconnexion",
        "premiers-secours", "bénévolat", "apprentissage", "mobilité-interne", "fablab",
        "tiers-lieu", "médiation", "emi", "exposition", "livres", "solaire", "isolation",
        "ruches", "potager", "vélo-cargo", "train", "bornes", "reconditionné", "gobelets",
        "gourdes", "fontaine", "emballages", "colis", "badges", "clés-usb", "serveurs",
        "visioconférence", "messagerie", "stockage", "sobriété", "bilan-carbone", "écogestes"]
class Generator:
    def __init__(self, seed: int = 2026):
        self.random = random.Random(seed)
        shuffler = random.Random(seed + 1)
        self.nouns = NOUNS[:]
        shuffler.shuffle(self.nouns)  # which topics are frequent: fixed by the seed
        self.noun_weights = _zipf(len(self.nouns))
        self.object_weights = _zipf(len(OBJECTS))
        r = self.random
        self.fields = {
            "action": lambda: r.choice(ACTIONS), "object": self.thing, "object2": self.thing,
            "place": self.place, "goal": lambda: r.choice(GOALS),
            "partner": lambda: r.choice(PARTNERS), "indicator": lambda: r.choice(INDICATORS),
            "months": lambda: r.randint(2, 12), "noun": lambda: r.choice(self.nouns),
            "name": lambda: "{name}"}

    def thing(self) -> str:
        """Half the time a common object, half the time a rarer noun + complement."""
        r = self.random
        if r.random() < 0.5:
            return r.choices(OBJECTS, cum_weights=self.object_weights)[0]
        noun = r.choices(self.nouns, cum_weights=self.noun_weights)[0]
        return f"les {noun} {r.choice(COMPLEMENTS)}"

    def place(self) -> str:
        r = self.random
        if r.random() < 0.4:
            number = r.randrange(1, 96)
            return f"à l'Atelier Canopé {number:02d} – {r.choice(DEPARTMENTS)}"
        return r.choice(PLACES)

    def _fill(self, template: str) -> str:
        return template.format(**{name: self.fields[name]() for name in _fields(template)})

    def title(self) -> str:
        r = self.random
        title = f"{r.choice(ACTIONS)} {self.thing()} {self.place()}"
        return title[:150]

    def body(self) -> str:
        return " ".join(self._fill(self.random.choice(SENTENCES))
                        for _ in range(self.random.randint(3, 7)))

    def comment(self) -> str:
        """One to three sentences; now and then a second paragraph."""
        r = self.random
        sentences = [self._fill(r.choice(COMMENTS)) for _ in range(r.choice((1, 1, 1, 2, 3)))]
        text = " ".join(sentences)
        return text + "\n\n" + self._fill(r.choice(SENTENCES)) if r.random() < 0.1 else text

    def reply(self, name: str) -> str:
        return self._fill(self.random.choice(REPLIES)).replace("{name}", name)

    def answer(self, status: str) -> str:
        return self._fill(self.random.choice(ANSWERS[status]))

    def person(self) -> tuple[str, str]:
        return self.random.choice(FIRST_NAMES), self.random.choice(LAST_NAMES)


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
