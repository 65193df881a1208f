"""`flask import-ideas`: good files (CSV with `;` and a BOM, JSON Lines), bad rows (nothing
imported, each reported with its line), re-import (nothing duplicated), --create-missing,
--dry-run. Through the real command (app.test_cli_runner) on the real database."""

from datetime import datetime
from pathlib import Path

import pytest

from ideas.accounts.models import User
from ideas.communities.models import Community, Membership
from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation.import_values import parse_created_at, parse_status
from ideas.ideation.models import Idea, IdeaStatus, Tag
from ideas.utils import utcnow
from tests import factories
from tests.helpers import count

HEADER = "title;body;community;themes;tags;author_email;created_at;status;external_ref"


@pytest.fixture
def author(db):
    return factories.UserFactory(email="camille.martin@reseau-canope.fr",
                                 display_name="Camille Martin")


@pytest.fixture
def run(app, db):
    """Run `flask import-ideas FILE [options]` like an operator would, in its own session."""

    def invoke(path, *options):
        db.session.commit()  # end the test's transaction: the command commits on its own
        result = app.test_cli_runner().invoke(args=["import-ideas", str(path), *options])
        db.session.expire_all()
        return result

    return invoke


def write(tmp_path, name: str, text: str, *, bom: bool = False, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    return path


def by_ref(ref: str) -> Idea:
    return db.session.scalar(db.select(Idea).filter_by(external_ref=ref))


@pytest.fixture
def good_csv(tmp_path, author, open_community, private_community):
    # `;`-separated, with a BOM, French dates, a body on three lines, codes and French names.
    return write(tmp_path, "boite-a-idees.csv", "\n".join([
        HEADER,
        'Imprimer en recto-verso par défaut;"Paramétrer **toutes** les imprimantes.\n\n'
        '- moins de papier\n- moins de toner";Sobriété numérique;dechets-papier|Sobriété '
        'numérique;Papier, #impression;Camille.Martin@reseau-canope.fr;12/03/2024;déposée;'
        'boite-86-1',
        "Covoiturage entre l'Atelier et le siège;Une application de covoiturage interne.;"
        "reseau-prive;Mobilité durable;;camille.martin@reseau-canope.fr;05/01/2024 14:30;"
        "à l'étude;boite-86-2",
        "Des gourdes plutôt que des bouteilles;Offrir une gourde à chaque agent.;"
        "sobriete-numerique;Achats responsables;;camille.martin@reseau-canope.fr;;adopted;"
        "boite-86-3",
        ";;;;;;;;",  # the empty row a spreadsheet leaves at the end
    ]), bom=True)


def test_good_csv_with_semicolons_bom_and_french_dates(run, good_csv, author, open_community,
                                                       private_community):
    result = run(good_csv)

    assert result.exit_code == 0, result.output
    assert "3 idées importées, 0 déjà importée" in result.output
    first = by_ref("boite-86-1")
    assert first.title == "Imprimer en recto-verso par défaut"
    assert first.community_id == open_community.id and first.author_id == author.id
    assert "<strong>toutes</strong>" in first.body_html and "<li>moins de toner</li>" in \
        first.body_html
    assert [t.code for t in first.themes] == ["dechets-papier", "sobriete-numerique"]
    assert [t.name for t in first.tags] == ["impression", "papier"]
    # A French date alone is noon in Paris (UTC+1 in March), stored as naive UTC.
    assert first.created_at == datetime(2024, 3, 12, 11, 0)
    assert first.status == IdeaStatus.SUBMITTED
    second = by_ref("boite-86-2")
    assert second.community_id == private_community.id  # found by its slug
    assert second.created_at == datetime(2024, 1, 5, 13, 30)
    assert second.status == IdeaStatus.IN_REVIEW and second.status_changed_at == \
        second.created_at
    third = by_ref("boite-86-3")
    assert third.status == IdeaStatus.ADOPTED
    assert (utcnow() - third.created_at).total_seconds() < 60  # no date: the import time
    # The author follows each idea and became a member of both communities.
    for idea in (first, second, third):
        assert idea.follower_count == 1
        assert count(IdeaFollow, idea_id=idea.id, user_id=author.id) == 1
    assert count(Membership, user_id=author.id) == 2


def test_good_json_lines(run, tmp_path, author, open_community):
    path = write(tmp_path, "export.jsonl", "\n".join([
        '{"title": "Cartographier les compétences numériques", "body": "Qui sait faire quoi ?",'
        ' "community": "Sobriété numérique", "themes": ["cartographie-expertises"], '
        '"tags": ["compétences", "Numérique"], "author_email": "camille.martin@reseau-canope.fr",'
        ' "created_at": "2024-06-01T09:15:00+02:00", "status": "in_review", "sdgs": [4, "ODD 8"],'
        ' "external_ref": "tableur-12"}',
        "",
        '{"title": "Des capsules vidéo de 3 minutes", "body": "Se former entre pairs.", '
        '"community": "sobriete-numerique", "themes": "Formation entre pairs", '
        '"author_email": "camille.martin@reseau-canope.fr", "created_at": "2023-11-20"}',
    ]))

    result = run(path)

    assert result.exit_code == 0, result.output
    assert "2 idées importées" in result.output
    idea = by_ref("tableur-12")
    assert idea.created_at == datetime(2024, 6, 1, 7, 15)
    assert idea.status == IdeaStatus.IN_REVIEW
    assert idea.sdgs == [4, 8]
    assert sorted(t.name for t in idea.tags) == ["compétences", "numérique"]
    other = db.session.scalar(db.select(Idea).filter_by(title="Des capsules vidéo de 3 minutes"))
    assert other.external_ref is None and other.created_at == datetime(2023, 11, 20, 11, 0)
    assert [t.code for t in other.themes] == ["formation-pairs"]


def test_json_lines_recognised_by_content(run, tmp_path, author, open_community):
    path = write(tmp_path, "export.txt",
                 '{"title": "Un composteur au siège", "body": "Pour les déchets du midi.", '
                 '"community": "Sobriété numérique", "themes": "biodiversite", '
                 '"author_email": "camille.martin@reseau-canope.fr"}\n')

    result = run(path)

    assert result.exit_code == 0, result.output
    assert count(Idea) == 1


def test_bad_rows_import_nothing_and_each_is_reported(run, tmp_path, author, open_community):
    good = ("Une bourse d'échange de matériel,Entre Ateliers.,Sobriété numérique,"
            "economie-circulaire,réemploi,camille.martin@reseau-canope.fr,01/02/2024,,ref-1")
    path = write(tmp_path, "mauvais.csv", "\n".join([
        HEADER.replace(";", ","),
        good,
        "Une idée perdue,Texte.,Communauté fantôme,biodiversite,,camille.martin@reseau-canope.fr,"
        ",,",
        ",Un texte sans titre.,Sobriété numérique,biodiversite,,camille.martin@reseau-canope.fr,"
        ",,",
        "Lire les astres au siège,Texte.,Sobriété numérique,astrologie,,"
        "camille.martin@reseau-canope.fr,,,",
        "Une date impossible,Texte.,Sobriété numérique,biodiversite,,"
        "camille.martin@reseau-canope.fr,31/02/2024,,",
        "Un statut inconnu,Texte.,Sobriété numérique,biodiversite,,"
        "camille.martin@reseau-canope.fr,,en pause,",
        "Un auteur inconnu,Texte.,Sobriété numérique,biodiversite,,inconnu@reseau-canope.fr,,,",
    ]))
    users_before = count(User)

    result = run(path)

    assert result.exit_code == 1
    output = result.output
    assert "Ligne 3 : Communauté inconnue : « Communauté fantôme »" in output
    assert "Ligne 4 : Donnez un titre à votre idée." in output
    assert "Ligne 5 : Thème inconnu : « astrologie »." in output
    assert "Ligne 6 : Date invalide : « 31/02/2024 »" in output
    assert "Ligne 7 : Statut inconnu : « en pause »" in output
    assert "Ligne 8 : Aucun compte n'a l'adresse « inconnu@reseau-canope.fr »" in output
    assert "Ligne 2" not in output
    assert "Rien n'a été importé : 6 lignes sont à corriger." in output
    # Not even the good row, nor its tag, nor a membership: the file is imported whole or not.
    assert count(Idea) == 0 and count(Tag) == 0
    assert count(Membership, user_id=author.id) == 0
    assert count(User) == users_before


def test_one_row_reports_all_its_problems(run, tmp_path, author, open_community):
    path = write(tmp_path, "mauvais.csv", "\n".join([
        HEADER,
        "Abc;;Sobriété numérique;;;pas-une-adresse;demain;;",
    ]))

    result = run(path)

    assert result.exit_code == 1
    for reason in ("Le titre doit faire entre 5 et 150 caractères.", "Décrivez votre idée.",
                   "Indiquez au moins un thème.", "Date invalide : « demain »",
                   "Adresse électronique invalide : « pas-une-adresse »"):
        assert f"Ligne 2 : {reason}" in result.output
    assert "1 ligne est à corriger" in result.output


def test_file_level_problems(run, tmp_path, author, open_community):
    latin1 = write(tmp_path, "excel.csv", HEADER + "\nÉconomiser l'énergie;Texte.;"
                   "Sobriété numérique;biodiversite;;camille.martin@reseau-canope.fr;;;\n",
                   encoding="cp1252")
    no_header = write(tmp_path, "sans-entete.csv", "titre;texte\nUne idée;Texte.\n")
    too_many = write(tmp_path, "cellules.csv", HEADER + "\nUne idée en trop;Texte;encore;"
                     "Sobriété numérique;biodiversite;;camille.martin@reseau-canope.fr;;;\n")

    assert "Ligne 2 : Le fichier n'est pas encodé en UTF-8" in run(latin1).output
    result = run(no_header)
    assert result.exit_code == 1
    assert ("Ligne 1 : Colonnes obligatoires absentes de l'en-tête : community, themes, "
            "author_email.") in result.output  # "texte" is the French name of body
    assert "Ligne 2 : Cette ligne a plus de cellules que l'en-tête" in run(too_many).output
    assert count(Idea) == 0


def test_reimport_duplicates_nothing(run, good_csv):
    assert run(good_csv).exit_code == 0

    result = run(good_csv)

    assert result.exit_code == 0, result.output
    assert "0 idée importée, 3 déjà importées (ignorées)." in result.output
    assert count(Idea) == 3 and count(IdeaFollow) == 3
    assert count(Tag) == 2


def test_same_reference_twice_in_one_file_is_refused(run, tmp_path, author, open_community):
    row = ("Une idée répétée;Texte.;Sobriété numérique;biodiversite;;"
           "camille.martin@reseau-canope.fr;;;ref-7")
    path = write(tmp_path, "doublon.csv", "\n".join([HEADER, row, row]))

    result = run(path)

    assert result.exit_code == 1
    assert "Ligne 3 : La référence « ref-7 » figure déjà ligne 2." in result.output
    assert count(Idea) == 0


@pytest.fixture
def unknown_csv(tmp_path, author):
    return write(tmp_path, "atelier.csv", "\n".join([
        HEADER + ";author_name",
        "Un jardin partagé devant l'Atelier;Des bacs potagers.;Atelier 86 – Boîte à idées;"
        "biodiversite;;nouvel.agent@reseau-canope.fr;02/09/2024;;jardin-1;Nouvel Agent",
        "Des nichoirs à mésanges;Contre les chenilles.;atelier 86 – boîte à idées;"
        "Biodiversité|Prévention des pollutions;;camille.martin@reseau-canope.fr;03/09/2024;;"
        "jardin-2;",
    ]))


def test_create_missing_creates_the_community_and_an_invited_account(run, unknown_csv, admin):
    refused = run(unknown_csv)
    assert refused.exit_code == 1
    assert "Ligne 2 : Communauté inconnue : « Atelier 86 – Boîte à idées »" in refused.output
    assert "Ligne 2 : Aucun compte n'a l'adresse « nouvel.agent@reseau-canope.fr »" in \
        refused.output
    assert count(Community) == 0

    result = run(unknown_csv, "--create-missing")

    assert result.exit_code == 0, result.output
    assert "Communauté créée : Atelier 86 – Boîte à idées" in result.output
    assert "Compte invité créé : nouvel.agent@reseau-canope.fr" in result.output
    community = db.session.scalar(db.select(Community))  # one, whatever the spelling of rows
    assert not community.is_private and community.created_by_id == admin.id
    # Its themes: those of its rows (shown in reference-list order).
    assert [t.code for t in community.themes] == ["prevention-pollutions", "biodiversite"]
    invited = db.session.scalar(db.select(User).filter_by(email="nouvel.agent@reseau-canope.fr"))
    assert invited.is_invited and invited.password_hash is None
    assert invited.display_name == "Nouvel Agent"
    assert by_ref("jardin-1").author_id == invited.id
    assert count(Membership, community_id=community.id) == 2
    assert community.member_count == 2


def test_dry_run_checks_everything_and_writes_nothing(run, unknown_csv):
    result = run(unknown_csv, "--create-missing", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "2 idées importées" in result.output
    assert "Simulation (--dry-run) : rien n'a été enregistré." in result.output
    assert count(Idea) == 0 and count(Community) == 0
    assert count(User, email="nouvel.agent@reseau-canope.fr") == 0


def test_archived_community_and_deactivated_author_are_refused(run, tmp_path, open_community):
    factories.UserFactory(email="parti@reseau-canope.fr", is_active=False)
    archived = factories.CommunityFactory(name="Ancienne communauté",
                                          archived_at=datetime(2024, 1, 1))
    path = write(tmp_path, "refus.csv", "\n".join([
        HEADER,
        f"Une idée trop tard;Texte.;{archived.name};biodiversite;;parti@reseau-canope.fr;;;",
    ]))

    result = run(path, "--create-missing")

    assert result.exit_code == 1
    assert "Ligne 2 : La communauté « Ancienne communauté » est archivée." in result.output
    assert "Ligne 2 : Le compte « parti@reseau-canope.fr » est désactivé" in result.output


@pytest.mark.parametrize(("cell", "status"), [
    ("", IdeaStatus.SUBMITTED), ("Déposée", IdeaStatus.SUBMITTED),
    ("A l'etude", IdeaStatus.IN_REVIEW), ("in_review", IdeaStatus.IN_REVIEW),
    ("Retenu", IdeaStatus.SELECTED), ("en expérimentation", IdeaStatus.PILOTING),
    ("adoptée — devenue service", IdeaStatus.ADOPTED), ("NON RETENUE", IdeaStatus.DECLINED),
    ("fusionnée", IdeaStatus.MERGED), ("retirée", IdeaStatus.WITHDRAWN),
])
def test_status_codes_and_french_labels(cell, status):
    assert parse_status(cell) == status


@pytest.mark.parametrize(("cell", "stored"), [
    ("12/03/2024", datetime(2024, 3, 12, 11, 0)),  # noon in Paris, winter time
    ("12/07/2024", datetime(2024, 7, 12, 10, 0)),  # noon in Paris, summer time
    ("1/2/2024 8h05", datetime(2024, 2, 1, 7, 5)),
    ("12.03.2024 14:30:15", datetime(2024, 3, 12, 13, 30, 15)),
    ("2024-03-12", datetime(2024, 3, 12, 11, 0)),
    ("2024-03-12T14:30:00Z", datetime(2024, 3, 12, 14, 30)),
    ("2024-03-12 14:30", datetime(2024, 3, 12, 13, 30)),
    ("", None),
])
def test_dates_iso_or_french_stored_as_utc(cell, stored):
    assert parse_created_at(cell, "Europe/Paris") == stored


@pytest.mark.parametrize("cell", ["31/02/2024", "2024-13-01", "hier", "12/03/24", "3000-01-01"])
def test_bad_or_future_dates_are_refused(app, cell):
    with pytest.raises(ValueError):
        parse_created_at(cell, "Europe/Paris")


def test_the_example_file_of_the_readme_imports(run, admin):
    """docs/examples/ideas-example.csv, against the demo communities and accounts it names."""
    factories.CommunityFactory(name="Zéro papier dans nos formations")
    factories.CommunityFactory(name="Mobilités douces entre Ateliers")
    factories.UserFactory(email="agent@demo.reseau-canope.fr")
    factories.UserFactory(email="animatrice@demo.reseau-canope.fr")
    example = Path(__file__).parents[2] / "docs" / "examples" / "ideas-example.csv"

    result = run(example, "--create-missing")

    assert result.exit_code == 0, result.output
    assert "3 idées importées" in result.output
    assert by_ref("boite-86-001").status == IdeaStatus.IN_REVIEW
    assert by_ref("boite-86-003").community.name == "Atelier 86 – Boîte à idées"
