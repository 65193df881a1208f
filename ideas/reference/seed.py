"""The realistic reference lists loaded by `seed-reference` and `seed-demo` (idempotent)."""

from ideas.extensions import db
from ideas.reference.models import Territory, TerritoryKind, Theme, ThemeAxis
from ideas.utils import slugify

# Territorial directorates (mainland regions) and academic directorates, with their departments.
DIRECTORATES: dict[str, tuple[TerritoryKind, list[tuple[str, str]]]] = {
    "Auvergne-Rhône-Alpes": (TerritoryKind.DIRECTORATE, [
        ("01", "Ain"), ("03", "Allier"), ("07", "Ardèche"), ("15", "Cantal"), ("26", "Drôme"),
        ("38", "Isère"), ("42", "Loire"), ("43", "Haute-Loire"), ("63", "Puy-de-Dôme"),
        ("69", "Rhône"), ("73", "Savoie"), ("74", "Haute-Savoie")]),
    "Bourgogne-Franche-Comté": (TerritoryKind.DIRECTORATE, [
        ("21", "Côte-d'Or"), ("25", "Doubs"), ("39", "Jura"), ("58", "Nièvre"),
        ("70", "Haute-Saône"), ("71", "Saône-et-Loire"), ("89", "Yonne"),
        ("90", "Territoire de Belfort")]),
    "Bretagne": (TerritoryKind.DIRECTORATE, [
        ("22", "Côtes-d'Armor"), ("29", "Finistère"), ("35", "Ille-et-Vilaine"),
        ("56", "Morbihan")]),
    "Centre-Val de Loire": (TerritoryKind.DIRECTORATE, [
        ("18", "Cher"), ("28", "Eure-et-Loir"), ("36", "Indre"), ("37", "Indre-et-Loire"),
        ("41", "Loir-et-Cher"), ("45", "Loiret")]),
    "Grand Est": (TerritoryKind.DIRECTORATE, [
        ("08", "Ardennes"), ("10", "Aube"), ("51", "Marne"), ("52", "Haute-Marne"),
        ("54", "Meurthe-et-Moselle"), ("55", "Meuse"), ("57", "Moselle"), ("67", "Bas-Rhin"),
        ("68", "Haut-Rhin"), ("88", "Vosges")]),
    "Hauts-de-France": (TerritoryKind.DIRECTORATE, [
        ("02", "Aisne"), ("59", "Nord"), ("60", "Oise"), ("62", "Pas-de-Calais"),
        ("80", "Somme")]),
    "Île-de-France": (TerritoryKind.DIRECTORATE, [
        ("75", "Paris"), ("77", "Seine-et-Marne"), ("78", "Yvelines"), ("91", "Essonne"),
        ("92", "Hauts-de-Seine"), ("93", "Seine-Saint-Denis"), ("94", "Val-de-Marne"),
        ("95", "Val-d'Oise")]),
    "Normandie": (TerritoryKind.DIRECTORATE, [
        ("14", "Calvados"), ("27", "Eure"), ("50", "Manche"), ("61", "Orne"),
        ("76", "Seine-Maritime")]),
    "Nouvelle-Aquitaine": (TerritoryKind.DIRECTORATE, [
        ("16", "Charente"), ("17", "Charente-Maritime"), ("19", "Corrèze"), ("23", "Creuse"),
        ("24", "Dordogne"), ("33", "Gironde"), ("40", "Landes"), ("47", "Lot-et-Garonne"),
        ("64", "Pyrénées-Atlantiques"), ("79", "Deux-Sèvres"), ("86", "Vienne"),
        ("87", "Haute-Vienne")]),
    "Occitanie": (TerritoryKind.DIRECTORATE, [
        ("09", "Ariège"), ("11", "Aude"), ("12", "Aveyron"), ("30", "Gard"),
        ("31", "Haute-Garonne"), ("32", "Gers"), ("34", "Hérault"), ("46", "Lot"),
        ("48", "Lozère"), ("65", "Hautes-Pyrénées"), ("66", "Pyrénées-Orientales"),
        ("81", "Tarn"), ("82", "Tarn-et-Garonne")]),
    "Pays de la Loire": (TerritoryKind.DIRECTORATE, [
        ("44", "Loire-Atlantique"), ("49", "Maine-et-Loire"), ("53", "Mayenne"),
        ("72", "Sarthe"), ("85", "Vendée")]),
    "Provence-Alpes-Côte d'Azur": (TerritoryKind.DIRECTORATE, [
        ("04", "Alpes-de-Haute-Provence"), ("05", "Hautes-Alpes"), ("06", "Alpes-Maritimes"),
        ("13", "Bouches-du-Rhône"), ("83", "Var"), ("84", "Vaucluse")]),
    "Corse": (TerritoryKind.ACADEMIC, [("2A", "Corse-du-Sud"), ("2B", "Haute-Corse")]),
    "Guadeloupe": (TerritoryKind.ACADEMIC, [("971", "Guadeloupe")]),
    "Guyane": (TerritoryKind.ACADEMIC, [("973", "Guyane")]),
    "Martinique": (TerritoryKind.ACADEMIC, [("972", "Martinique")]),
    "La Réunion": (TerritoryKind.ACADEMIC, [("974", "La Réunion")]),
}

THEMES: list[tuple[str, str, str, ThemeAxis]] = [
    ("energie-fluides", "Énergie et fluides", "Energy and fluids", ThemeAxis.CSR),
    ("mobilite-durable", "Mobilité durable", "Sustainable mobility", ThemeAxis.CSR),
    ("achats-responsables", "Achats responsables", "Responsible procurement", ThemeAxis.CSR),
    ("dechets-papier", "Déchets et papier", "Waste and paper", ThemeAxis.CSR),
    ("economie-circulaire", "Économie circulaire et réemploi", "Circular economy and reuse",
     ThemeAxis.CSR),
    ("batiments-surfaces", "Bâtiments et surfaces", "Buildings and floor space", ThemeAxis.CSR),
    ("sobriete-numerique", "Sobriété numérique", "Digital sobriety", ThemeAxis.CSR),
    ("prevention-pollutions", "Prévention des pollutions", "Pollution prevention", ThemeAxis.CSR),
    ("biodiversite", "Biodiversité", "Biodiversity", ThemeAxis.CSR),
    ("qualite-vie-travail", "Qualité de vie au travail", "Quality of working life",
     ThemeAxis.CSR),
    ("formation-pairs", "Formation entre pairs", "Peer training", ThemeAxis.LEARNING),
    ("partage-pratiques", "Partage de pratiques", "Sharing practices", ThemeAxis.LEARNING),
    ("cartographie-expertises", "Cartographie des expertises", "Skills mapping",
     ThemeAxis.LEARNING),
    ("experimentation", "Expérimentation", "Experimentation", ThemeAxis.LEARNING),
    ("egalite-inclusion", "Égalité professionnelle et inclusion",
     "Professional equality and inclusion", ThemeAxis.LEARNING),
    ("probite-integrite", "Probité et intégrité", "Probity and integrity", ThemeAxis.LEARNING),
    ("communication-interne", "Communication interne", "Internal communication",
     ThemeAxis.LEARNING),
]


def _upsert_territory(code, name, kind, parent=None, position=0) -> Territory:
    territory = db.session.scalar(db.select(Territory).filter_by(code=code))
    if territory is None:
        territory = Territory(code=code)
        db.session.add(territory)
    territory.name, territory.kind, territory.parent, territory.position = (
        name, kind, parent, position)
    return territory


def seed_reference() -> tuple[int, int]:
    """Create or refresh territories and themes; returns (territories, themes). Flushes only."""
    count = 0
    _upsert_territory("siege", "Siège (Chasseneuil-du-Poitou, Futuroscope)",
                      TerritoryKind.HEADQUARTERS)
    _upsert_territory("clemi", "Clémi (Paris)", TerritoryKind.SERVICE, position=1)
    _upsert_territory("munae", "Munaé (Rouen)", TerritoryKind.SERVICE, position=2)
    count += 3
    for position, (region, (kind, departments)) in enumerate(DIRECTORATES.items(), start=10):
        label = "Direction territoriale" if kind == TerritoryKind.DIRECTORATE else (
            "Direction académique")
        parent = _upsert_territory(
            f"dir-{slugify(region)}", f"{label} {region}", kind, position=position)
        count += 1
        for number, department in departments:
            _upsert_territory(f"atelier-{number.lower()}",
                              f"Atelier Canopé {number} – {department}",
                              TerritoryKind.ATELIER, parent, position=position)
            count += 1
    for position, (code, name_fr, name_en, axis) in enumerate(THEMES):
        theme = db.session.scalar(db.select(Theme).filter_by(code=code))
        if theme is None:
            theme = Theme(code=code, name_fr=name_fr, name_en=name_en, axis=axis)
            db.session.add(theme)
        theme.position = position
    db.session.flush()
    return count, len(THEMES)
