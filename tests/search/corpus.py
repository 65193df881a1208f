"""A small French relevance test set: ideas as agents write them, with the traps of French
search in them (accents, plurals, elisions, verb/noun families, acronyms, phrases).

Most ideas get a neutral theme ("Expérimentation"), because theme names are indexed with the
tags: a theme called "Énergie et fluides" would make every idea of it match `énergie`."""

# key, title, body, theme code, tags, SDGs
CORPUS = [
    ("energie", "Réduire la consommation d'énergie des bâtiments",
     "Programmer le chauffage et éteindre l'éclairage le soir dans chaque Atelier.",
     "batiments-surfaces", "chauffage", (7,)),
    ("velos", "Des vélos de service pour les missions courtes",
     "Mettre à disposition un vélo à assistance électrique sur chaque site pour les "
     "déplacements professionnels.", "experimentation", "", (11,)),
    ("recyclage", "Recyclage du papier dans les Ateliers",
     "Installer des bacs de tri sélectif près des imprimantes.", "dechets-papier", "", (12,)),
    ("cartouches", "Recycler les cartouches d'encre usagées",
     "Une association locale reprend les cartouches vides.", "dechets-papier", "", (12,)),
    ("numerique", "Sobriété numérique au quotidien",
     "Nettoyer sa boîte de courriels et limiter les pièces jointes lourdes.",
     "experimentation", "", (13,)),
    ("rse", "Un référent RSE dans chaque direction territoriale",
     "Le référent anime la démarche de responsabilité sociétale auprès des équipes.",
     "experimentation", "", ()),
    ("odd", "Relier chaque projet aux ODD",
     "Les fiches projet indiquent les objectifs de développement durable concernés.",
     "experimentation", "", (4, 17)),
    ("edd", "Parcours EDD pour les médiateurs",
     "Un parcours de formation à l'éducation au développement durable, en ligne.",
     "formation-pairs", "", (4,)),
    ("covoiturage", "Plateforme de covoiturage domicile-travail",
     "Mettre en relation les agents d'un même site pour partager les trajets.",
     "experimentation", "", (11,)),
    ("circulaire", "Économie circulaire du mobilier de bureau",
     "Donner une seconde vie aux chaises et aux tables avant de racheter du neuf.",
     "achats-responsables", "", (12,)),
    ("eau", "Économie d'eau dans les sanitaires",
     "Des mousseurs sur les robinets, et une démarche circulaire : récupérer l'eau de pluie.",
     "batiments-surfaces", "", (6,)),
    ("jardin", "Un jardin partagé pour la biodiversité",
     "Créer un potager avec les équipes volontaires.", "qualite-vie-travail", "", (15,)),
    ("toits", "Végétaliser les toitures",
     "Des plantes grimpantes favorisent la biodiversité et rafraîchissent les bureaux.",
     "experimentation", "", (15,)),
    ("voitures", "Remplacer les voitures de service",
     "La flotte de voitures passe progressivement à des modèles moins polluants.",
     "experimentation", "", (13,)),
    ("mobilites", "Plan de mobilités pour les agents",
     "Un diagnostic des trajets entre le domicile et le lieu de travail.",
     "experimentation", "", (11,)),
    ("piles", "Signalétique des points de collecte",
     "Texte collé depuis un courriel : <script>alert('xss')</script> collecte des piles "
     "usagées à l'accueil.", "dechets-papier", "", (12,)),
]

PRIVATE_IDEA = ("secret", "Projet confidentiel sur l'énergie solaire",
                "Étudier des panneaux photovoltaïques pour l'énergie du siège.", "experimentation")

# query → ideas that must be found (a subset of the hits), ideas that must not be.
RELEVANCE = [
    ("energie", {"energie"}, {"secret"}),  # no accent typed, "énergie" indexed
    ("ÉNERGIE", {"energie"}, set()),  # upper case, accent
    ("l'énergie", {"energie"}, set()),  # elision split
    ("l’énergie", {"energie"}, set()),  # typographic apostrophe
    ("vélo", {"velos"}, set()),  # singular finds the plural title
    ("vélos", {"velos"}, set()),
    ("velo", {"velos"}, set()),
    ("recyclage", {"recyclage", "cartouches"}, set()),  # noun finds the verb …
    ("recycler", {"recyclage", "cartouches"}, set()),  # … and the verb the noun
    ("numériques", {"numerique"}, set()),
    ("NUMERIQUE", {"numerique"}, set()),
    ("mobilite", {"mobilites"}, set()),  # accent-less singular finds "mobilités"
    ("voiture", {"voitures"}, set()),
    ("RSE", {"rse"}, set()),
    ("rse", {"rse"}, set()),
    ("R.S.E.", {"rse"}, set()),
    ("ODD", {"odd"}, set()),
    ("EDD", {"edd"}, set()),
    ('"économie circulaire"', {"circulaire"}, {"eau"}),  # the phrase, not both words apart
    ("économie circulaire", {"circulaire", "eau"}, set()),  # both words, anywhere
    ("économie -mobilier", {"eau"}, {"circulaire"}),  # exclusion
    ("vélo OR covoiturage", {"velos", "covoiturage"}, set()),
    ("chaises OR robinets", {"circulaire", "eau"}, set()),
    ("jardin potager", {"jardin"}, {"toits"}),  # AND by default
]
