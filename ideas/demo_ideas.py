"""The demo ideas and their discussions: French, plausible, across the demo communities.

Pure data, read by `ideas.demo`. Each idea: its reference (what makes seeding idempotent),
community (index in demo.COMMUNITIES), title, themes (codes), tags, ODD, status, age in days,
author ("agent", "facilitator" or None for a demo agent picked at random), Markdown body, and
comments as (text, [replies])."""

from ideas.ideation.models import IdeaStatus as S


def idea(ref, community, title, themes, tags, sdgs, status, days_ago, body, comments=(),
         author=None):
    return {"ref": ref, "community": community, "title": title, "themes": themes, "tags": tags,
            "sdgs": sdgs, "status": status, "days_ago": days_ago, "body": body.strip(),
            "comments": list(comments), "author": author}


DEMO_IDEAS = [
    # -- Sobriété numérique au quotidien
    idea("demo-001", 0, "Imprimer en recto-verso par défaut",
         ["dechets-papier", "sobriete-numerique"], ["impression", "papier"], [12], S.ADOPTED, 690,
         """
Aujourd'hui, chaque poste imprime en **recto simple** tant qu'on ne change pas le réglage.

Je propose de :
- paramétrer le recto-verso et le noir et blanc par défaut sur tous les copieurs ;
- garder la couleur sur demande, pour les supports d'atelier ;
- afficher à côté de chaque copieur le nombre de pages économisées chaque mois.

À l'Atelier de Poitiers, l'essai sur un copieur a réduit la consommation de papier d'un tiers.
""", [
             ("Très bonne idée, c'est le réglage par défaut chez nos voisins du rectorat depuis "
              "deux ans.", ["Et personne ne s'en plaint, d'après eux !"]),
             ("Attention aux documents officiels qui doivent rester en recto simple (marchés, "
              "contrats) : prévoir un raccourci facile.",
              ["Le pilote du copieur permet de garder un profil « recto » : on l'a testé.",
               "Parfait, je l'ajoute dans la fiche pratique."]),
         ], author="agent"),
    idea("demo-002", 0, "Vider les boîtes partagées des pièces jointes en double",
         ["sobriete-numerique"], ["messagerie", "stockage"], [12, 13], S.IN_REVIEW, 120,
         """
Nos boîtes fonctionnelles gardent **des milliers de pièces jointes** reçues en double
(diffusions internes, comptes rendus envoyés à toute l'équipe).

Idée : une demi-journée « grand ménage numérique » par an, avec :
1. un guide pas à pas pour trier par taille ;
2. un lien vers le dossier partagé plutôt qu'une pièce jointe pour les envois internes ;
3. un petit classement amical entre équipes des gigaoctets libérés.
""", [
             ("On pourrait le caler sur le Cyber World CleanUp Day en mars.", []),
             ("Je veux bien animer la session pour la direction territoriale.",
              ["Merci ! Je te mets en contact avec l'équipe du siège."]),
         ]),
    idea("demo-003", 0, "Visioconférence : couper la caméra quand elle n'est pas utile",
         ["sobriete-numerique"], ["visioconférence", "bonnes pratiques"], [13], S.SUBMITTED, 35,
         """
Une réunion en visio avec caméra consomme nettement plus de données qu'une réunion en audio.

Proposition modeste : inscrire dans la charte des réunions que **la caméra est facultative**
au-delà de cinq participants, sauf pour les temps d'échange où l'on se voit volontiers.
""", [
             ("D'accord sur le principe, mais pour les nouveaux arrivants voir les visages aide "
              "beaucoup.", ["Oui, d'où le « sauf pour les temps d'échange »."]),
         ]),
    idea("demo-004", 0, "Allonger la durée de vie des ordinateurs portables",
         ["sobriete-numerique", "economie-circulaire"], ["matériel", "reconditionnement"],
         [12], S.SELECTED, 410,
         """
Nos portables sont renouvelés tous les **4 ans**, même quand ils fonctionnent bien.

- passer à 6 ans pour les postes bureautiques, avec une batterie neuve à 4 ans ;
- donner les postes retirés à des associations ou des écoles ;
- mesurer le bilan carbone évité dans le rapport RSE.
""", [
             ("La DSI est partante pour les batteries, moins pour les écrans qui fatiguent.",
              ["On pourrait proposer un écran externe plutôt qu'un nouveau portable."]),
             ("Attention à la sécurité : il faut un effacement certifié avant tout don.", []),
         ]),
    # -- Mobilités douces entre Ateliers
    idea("demo-005", 1, "Covoiturage entre l'Atelier de Poitiers et le siège",
         ["mobilite-durable"], ["covoiturage", "domicile-travail"], [11, 13], S.PILOTING, 300,
         """
Nous sommes une dizaine à faire **Poitiers ↔ Futuroscope** chaque jour, souvent seuls en voiture.

Je propose :
- un fil de discussion par trajet (matin, soir) pour s'organiser ;
- deux places de parking réservées aux covoitureurs au siège ;
- le forfait mobilités durables mis en avant auprès des agents concernés.
""", [
             ("Je fais le trajet depuis Buxerolles, je suis partante pour le matin !", []),
             ("Le forfait mobilités durables couvre aussi le covoiturage passager, c'est peu "
              "connu.", ["Bon à savoir, il faudrait un rappel dans la lettre interne."]),
             ("Après trois mois d'essai : 14 agents inscrits, 6 équipages réguliers.", []),
         ], author="agent"),
    idea("demo-006", 1, "Des vélos à assistance électrique en prêt dans les Ateliers",
         ["mobilite-durable"], ["vélo", "missions"], [3, 11], S.IN_REVIEW, 200,
         """
Pour les déplacements courts (rectorat, écoles du centre-ville), un **vélo à assistance
électrique** de service serait plus rapide que la voiture et sans souci de stationnement.

Un vélo par Atelier urbain, réservable comme les véhicules de service.
""", [
             ("Il faudrait prévoir casques, antivols et une assurance adaptée.", []),
             ("À Bordeaux, la métropole subventionne une partie de l'achat pour les employeurs "
              "publics.", []),
         ]),
    idea("demo-007", 1, "Privilégier le train pour les missions de moins de 4 heures",
         ["mobilite-durable"], ["train", "missions", "politique voyage"], [13], S.SELECTED, 520,
         """
La politique voyage autorise l'avion dès 3 heures de train. Proposer de passer le seuil à
**4 heures** et de compter le temps de train comme du temps de travail (ordinateur, connexion).
""", [
             ("Pour les Ateliers d'outre-mer, la question ne se pose évidemment pas pareil.",
              ["Bien sûr, la règle ne vaudrait que pour l'Hexagone."]),
         ]),
    idea("demo-008", 1, "Un abri vélo sécurisé au siège", ["mobilite-durable",
                                                          "batiments-surfaces"],
         ["vélo", "siège"], [11], S.DECLINED, 600,
         """
Les arceaux actuels sont à découvert et loin de l'entrée. Un abri couvert, fermé par badge,
encouragerait les agents qui hésitent à venir à vélo.
""", [
             ("La réponse officielle parle d'un projet immobilier à venir : dommage "
              "d'attendre.", []),
         ]),
    # -- Zéro papier dans nos formations
    idea("demo-009", 2, "Des supports de formation en ligne plutôt qu'imprimés",
         ["dechets-papier"], ["formation", "supports"], [4, 12], S.ADOPTED, 640,
         """
Les stagiaires repartent avec un classeur qu'ils ouvrent rarement. Proposer :
- un **espace en ligne** par session, avec les supports et les ressources citées ;
- une fiche mémo d'une page, imprimée seulement sur demande.
""", [
             ("Pensons aux stagiaires qui ont peu accès au numérique : garder l'option papier.",
              ["Oui, c'est le sens du « sur demande »."]),
             ("Les retours de la première session sont très positifs.", []),
         ], author="facilitator"),
    idea("demo-010", 2, "Une bourse d'échange de matériel entre Ateliers",
         ["economie-circulaire", "dechets-papier"], ["réemploi", "fournitures"], [12],
         S.IN_REVIEW, 95,
         """
Certains Ateliers ont des **stocks de fournitures** (feutres, affiches, robots de
programmation…) qui dorment, pendant que d'autres en achètent.

Une simple page où chacun dépose ce qu'il donne et ce qu'il cherche, avec un envoi groupé
lors des navettes entre sites.
""", [
             ("On a trois cartons de Thymio inutilisés à Limoges !",
              ["Chez nous à Angoulême on en cherche justement pour un club."]),
             ("Il faudra voir la question de l'inventaire comptable des biens.", []),
         ]),
    idea("demo-011", 2, "Remplacer les feuilles d'émargement papier par une signature sur tablette",
         ["dechets-papier", "sobriete-numerique"], ["émargement", "formation"], [12],
         S.SUBMITTED, 18,
         """
Chaque session produit des feuilles d'émargement à scanner puis archiver. Une signature sur
tablette, exportée en PDF, ferait gagner du temps et du papier.
""", [
             ("Vérifier que c'est accepté par les financeurs pour les formations certifiantes.",
              []),
         ]),
    idea("demo-012", 2, "Réutiliser les chutes d'impression en carnets de brouillon",
         ["economie-circulaire", "dechets-papier"], ["réemploi", "papier"], [12], S.WITHDRAWN,
         250,
         """
Les impressions ratées pourraient être découpées et reliées en carnets pour les ateliers
avec les élèves.
"""),
    # -- Énergie et bâtiments du siège
    idea("demo-013", 3, "Baisser le chauffage à 19 °C et fermer les bâtiments le vendredi",
         ["energie-fluides", "batiments-surfaces"], ["chauffage", "télétravail"], [7, 13],
         S.PILOTING, 380,
         """
Le vendredi, le siège est occupé au tiers. Regrouper les présents dans **un seul bâtiment**
permettrait de réduire fortement le chauffage des autres.

- 19 °C dans les bureaux, 16 °C dans les locaux inoccupés ;
- un planning de regroupement le vendredi, affiché le lundi.
""", [
             ("Il faut que le réseau et les imprimantes suivent dans le bâtiment ouvert.", []),
             ("Premier hiver d'essai : −11 % de consommation de gaz sur la période.",
              ["Superbe résultat, merci pour le suivi !"]),
         ]),
    idea("demo-014", 3, "Des détecteurs de présence pour l'éclairage des couloirs",
         ["energie-fluides"], ["éclairage", "siège"], [7], S.SELECTED, 450,
         """
Les couloirs et sanitaires restent éclairés toute la journée, souvent jusqu'au soir.
Des détecteurs de présence sont peu coûteux et s'amortissent en moins de deux ans.
"""),
    idea("demo-015", 3, "Mesurer et afficher la consommation d'énergie de chaque bâtiment",
         ["energie-fluides", "communication-interne"], ["indicateurs", "affichage"], [7, 12],
         S.SUBMITTED, 60,
         """
On ne réduit bien que ce qu'on mesure. Un écran dans le hall, ou une page de l'intranet,
avec la consommation de la semaine comparée à l'an dernier.
""", [
             ("Les compteurs communicants existent déjà, il « suffit » d'exposer les données.",
              []),
         ]),
    # -- Formation entre pairs
    idea("demo-016", 4, "Des capsules vidéo de 3 minutes pour se former entre pairs",
         ["formation-pairs", "partage-pratiques"], ["vidéo", "tutoriel"], [4], S.ADOPTED, 560,
         """
Chacun sait faire quelque chose que d'autres cherchent : un réglage de la visio, une astuce
de tableur, une activité avec les élèves.

Proposer des **capsules de 3 minutes**, filmées au téléphone, avec :
1. un gabarit de titre et de générique ;
2. une relecture par un pair ;
3. une chaîne interne classée par thème.
""", [
             ("J'en ai déjà fait une sur les QR codes, je la partage volontiers.",
              ["Génial, ce sera la première de la chaîne !"]),
             ("Pensez au sous-titrage pour l'accessibilité.",
              ["Le sous-titrage automatique puis une relecture rapide suffit."]),
             ("La chaîne compte 40 capsules après six mois, bravo à toutes et tous.", []),
         ], author="facilitator"),
    idea("demo-017", 4, "Un tutorat pour les nouveaux arrivants",
         ["formation-pairs", "qualite-vie-travail"], ["accueil", "tutorat"], [4, 8],
         S.IN_REVIEW, 150,
         """
Chaque nouvel agent aurait un **tuteur ou une tutrice** d'un autre service pendant trois
mois : un café par quinzaine, pour les questions qu'on n'ose pas poser à son responsable.
""", [
             ("C'est ce qui m'a manqué à mon arrivée, je veux bien être tutrice.", []),
         ]),
    idea("demo-018", 4, "Des midis « Je vous montre » une fois par mois",
         ["formation-pairs", "partage-pratiques"], ["midi", "démonstration"], [4],
         S.SUBMITTED, 12,
         """
Un agent montre en 20 minutes un outil ou une pratique, en visio pour que les Ateliers
puissent suivre, puis 10 minutes de questions. Enregistré pour ceux qui n'étaient pas là.
""", [
             ("Je propose un premier sujet : les escape games pédagogiques.", []),
         ], author="agent"),
    idea("demo-019", 4, "Reconnaître le temps passé à former ses collègues",
         ["formation-pairs", "egalite-inclusion"], ["reconnaissance", "entretien annuel"], [8],
         S.SUBMITTED, 40,
         """
Former ses pairs prend du temps de préparation. Proposer que ce temps soit **inscrit dans
les objectifs** et valorisé lors de l'entretien professionnel.
"""),
    # -- Cartographie des expertises
    idea("demo-020", 5, "Cartographier les compétences numériques du réseau",
         ["cartographie-expertises"], ["compétences", "annuaire"], [4, 17], S.PILOTING, 330,
         """
Qui maîtrise la robotique, la réalité virtuelle, l'accessibilité numérique ?

Un **annuaire des compétences déclarées**, sur la base du volontariat, consultable par
tous les agents, avec :
- 3 à 5 compétences par personne, choisies dans une liste commune ;
- la possibilité d'indiquer « je peux aider » ou « je veux apprendre ».
""", [
             ("Attention au RGPD : déclaratif, modifiable et supprimable à tout moment.",
              ["Oui, c'est prévu, avec un avis du délégué à la protection des données."]),
             ("La liste commune pourrait s'appuyer sur le cadre PIX.", []),
         ]),
    idea("demo-021", 5, "Une carte des partenariats locaux de chaque Atelier",
         ["cartographie-expertises", "partage-pratiques"], ["partenariats", "territoires"],
         [17], S.SUBMITTED, 75,
         """
Chaque Atelier travaille avec des musées, des associations, des collectivités. Une carte
commune éviterait de démarcher trois fois le même partenaire national.
""", [
             ("Très utile pour les projets interdépartementaux.", []),
         ]),
    idea("demo-022", 5, "Identifier des référents par thème dans chaque direction territoriale",
         ["cartographie-expertises"], ["référents"], [], S.DECLINED, 480,
         """
Un référent par thème (inclusion, EMI, numérique…) dans chaque direction, connu de tous.
"""),
    # -- Achats responsables en Occitanie
    idea("demo-023", 6, "Acheter du matériel informatique reconditionné",
         ["achats-responsables", "economie-circulaire"], ["reconditionnement", "achats"],
         [12], S.SELECTED, 270,
         """
Pour les écrans, claviers et tablettes d'atelier, le **reconditionné** coûte 30 à 40 %
moins cher, avec une garantie équivalente. L'UGAP propose déjà des lots.
""", [
             ("Il faudrait vérifier la disponibilité des pièces détachées.", []),
             ("À Montpellier on a testé dix tablettes : aucune panne en un an.", []),
         ]),
    idea("demo-024", 6, "Des traiteurs locaux et de saison pour les événements",
         ["achats-responsables"], ["restauration", "circuits courts"], [2, 12], S.IN_REVIEW,
         100,
         """
Pour les journées d'étude et les séminaires, choisir des traiteurs **locaux**, avec des
produits de saison et une option végétarienne par défaut.
""", [
             ("Et des carafes d'eau plutôt que des bouteilles !", []),
         ]),
    idea("demo-025", 6, "Une clause de réemploi dans les marchés de mobilier",
         ["achats-responsables", "economie-circulaire"], ["mobilier", "marchés publics"], [12],
         S.SUBMITTED, 22,
         """
Ajouter aux marchés de mobilier une clause qui favorise le **mobilier de réemploi** et la
reprise de l'ancien mobilier par le fournisseur.
"""),
    # -- Biodiversité autour des Ateliers
    idea("demo-026", 7, "Un jardin pédagogique devant chaque Atelier qui a un espace vert",
         ["biodiversite"], ["jardin", "élèves"], [4, 15], S.PILOTING, 360,
         """
Un petit potager en bacs, entretenu avec les classes qui viennent en atelier, et des
**fiches pédagogiques** partagées sur le réseau.
""", [
             ("Qui arrose pendant les vacances scolaires ?",
              ["Un système de goutte-à-goutte sur récupérateur d'eau de pluie."]),
         ]),
    idea("demo-027", 7, "Passer à la gestion différenciée des espaces verts",
         ["biodiversite", "prevention-pollutions"], ["espaces verts", "fauche tardive"], [15],
         S.SUBMITTED, 50,
         """
Laisser des zones en **fauche tardive**, ne plus utiliser de produits phytosanitaires,
installer un hôtel à insectes fabriqué lors d'un atelier.
""", [
             ("Un panneau explicatif évitera de penser que l'espace est mal entretenu.", []),
         ]),
    idea("demo-028", 7, "Des nichoirs fabriqués avec les élèves en atelier bois",
         ["biodiversite", "partage-pratiques"], ["nichoirs", "fabrication"], [15], S.SUBMITTED,
         8,
         """
Les FabLabs de certains Ateliers peuvent découper des nichoirs à la découpeuse laser :
une activité de technologie avec les collégiens, et des mésanges contre les chenilles.
"""),
    # -- Égalité professionnelle et inclusion (private)
    idea("demo-029", 8, "Rendre accessibles tous nos documents internes",
         ["egalite-inclusion", "communication-interne"], ["accessibilité", "documents"],
         [10], S.IN_REVIEW, 140,
         """
Les notes internes sont souvent des PDF scannés, illisibles avec un lecteur d'écran.

- un modèle de document accessible (titres, contrastes, textes alternatifs) ;
- une formation courte pour les assistantes et assistants de direction.
""", [
             ("Merci de porter ce sujet, c'est un vrai frein au quotidien pour moi.", []),
             ("Le référent handicap peut relire le modèle.", []),
         ]),
    idea("demo-030", 8, "Un parcours d'accueil adapté pour les agents en situation de handicap",
         ["egalite-inclusion", "qualite-vie-travail"], ["handicap", "accueil"], [8, 10],
         S.SUBMITTED, 30,
         """
Anticiper le poste adapté **avant** l'arrivée, et désigner un interlocuteur unique pour les
aménagements.
"""),
    idea("demo-031", 8, "Publier les écarts de rémunération femmes-hommes par métier",
         ["egalite-inclusion", "probite-integrite"], ["égalité salariale", "transparence"],
         [5, 10], S.SELECTED, 420,
         """
L'index global ne dit pas grand-chose. Publier les écarts **par famille de métiers**
permettrait de cibler les actions.
""", [
             ("Il faudra agréger quand les effectifs sont trop faibles pour rester anonymes.",
              []),
         ]),
    # -- Réseau des animateurs numériques (private)
    idea("demo-032", 9, "Une mallette de robots partagée entre Ateliers d'une même académie",
         ["partage-pratiques", "economie-circulaire"], ["robotique", "prêt"], [4, 12],
         S.ADOPTED, 500,
         """
Les robots coûtent cher et servent quelques semaines par an. Une **mallette itinérante**
par académie, réservable en ligne, avec les fiches d'activités.
""", [
             ("La mallette Nouvelle-Aquitaine tourne depuis la rentrée : complète à 90 %.",
              ["Il manque juste deux câbles USB-C, je m'en occupe."]),
         ]),
    idea("demo-033", 9, "Un canal d'entraide pour les pannes en atelier",
         ["partage-pratiques"], ["entraide", "dépannage"], [4], S.SUBMITTED, 15,
         """
Quand une imprimante 3D ou un casque de réalité virtuelle tombe en panne en pleine séance,
un **canal d'entraide** où les collègues répondent vite.
""", [
             ("Oui ! Avec une FAQ qui se construit au fil des réponses.", []),
         ]),
    idea("demo-034", 9, "Des séances d'essai de matériel avant tout achat groupé",
         ["experimentation", "achats-responsables"], ["matériel", "test"], [12], S.IN_REVIEW,
         85,
         """
Avant d'équiper tout le réseau, tester le matériel dans trois Ateliers pendant un mois,
avec une grille d'évaluation commune.
"""),
    idea("demo-035", 4, "Des binômes siège-Ateliers pour mieux se connaître",
         ["partage-pratiques", "communication-interne"], ["vis ma vie", "immersion"], [17],
         S.SUBMITTED, 5,
         """
Une journée d'immersion croisée par an : un agent du siège passe une journée en Atelier,
et réciproquement. On comprend mieux les contraintes de chacun.
""", [
             ("Le format « Vis ma vie » a très bien marché dans mon ancien établissement.", []),
         ]),
    idea("demo-036", 0, "Éteindre les écrans et les copieurs le soir et le week-end",
         ["sobriete-numerique", "energie-fluides"], ["veille", "électricité"], [7, 12],
         S.SUBMITTED, 3,
         """
Des prises programmables sur les copieurs et une mise en veille automatique des écrans
à 19 h : un geste simple, qui se voit sur la facture.
"""),
]
