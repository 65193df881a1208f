"""Languages: complete catalogs, an up-to-date template, how the language is chosen, French
plurals, and dates and numbers in the reader's language (Europe/Paris time)."""

import html
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from ideas.extensions import db as _db
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)")
# A count and its noun as the templates write them: "0 membre", "1 234 membres", "2 members".
MEMBER_COUNT = re.compile(r"(\d[\d\u202f\u00a0,]*) (membres?|members?)\b")
HTML_LANG = re.compile(r'<html lang="(\w+)"')


def read_catalog(locale: str):
    with (CATALOGS / locale / "LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def entries(catalog):
    return [message for message in catalog if message.id]


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def forms(message) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgstr[0] answers msgid, msgstr[1:] answer msgid_plural."""
    if not message.pluralizable:
        return [(message.id, message.string)]
    return [(message.id[min(index, 1)], string) for index, string in enumerate(message.string)]


# --- the catalogs ---------------------------------------------------------------------------


def test_english_catalog_is_complete_and_keeps_every_placeholder():
    catalog = read_catalog("en")
    assert not catalog.fuzzy
    untranslated, fuzzy, broken = [], [], []
    for message in entries(catalog):
        if message.fuzzy:
            fuzzy.append(message.id)
        for source, translation in forms(message):
            if not translation:
                untranslated.append(source)
            elif set(PLACEHOLDER.findall(translation)) != set(PLACEHOLDER.findall(source)):
                broken.append((source, translation))
    assert not untranslated, ("translate these in translations/en/LC_MESSAGES/messages.po:\n"
                              + "\n".join(map(str, untranslated)))
    assert not fuzzy, f"check these translations and remove their fuzzy flag: {fuzzy}"
    assert not broken, f"placeholders differ between msgid and msgstr: {broken}"


def test_french_catalog_carries_french_plural_rule_and_its_own_msgids():
    catalog = read_catalog("fr")
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"
    stale = [message.id for message in entries(catalog)
             if any(source != translation for source, translation in forms(message))]
    assert stale == [], "run `make i18n-update` (scripts/i18n_fill_fr.py fills French)"


def test_every_string_in_the_code_is_in_the_catalogs(tmp_path):
    # Same options as `make i18n-update`: a string added without running it fails here.
    template = tmp_path / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
        "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2",
        "--ignore-dirs", ".venv static node_modules", "-o", str(template), str(ROOT),
    ])
    with template.open("rb") as handle:
        extracted = {message.id if isinstance(message.id, str) else tuple(message.id)
                     for message in entries(read_po(handle))}
    assert len(extracted) > 100  # the extraction really read the code and templates
    for locale in ("en", "fr"):
        known = {message.id if isinstance(message.id, str) else tuple(message.id)
                 for message in entries(read_catalog(locale))}
        missing = sorted(map(str, extracted - known))
        assert not missing, (f"{len(missing)} strings are not in translations/{locale}: run "
                             "`make i18n-update`, then translate them:\n" + "\n".join(missing))


# --- make translations refuses a broken catalog -----------------------------------------------


def run_check(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts/i18n_check.py"), str(directory)],
                          capture_output=True, text=True, check=False)


def write_catalog(directory: Path, body: str, header_flags: str = "") -> Path:
    path = directory / "en/LC_MESSAGES/messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(f'{header_flags}msgid ""\nmsgstr ""\n'
                    '"Content-Type: text/plain; charset=utf-8\\n"\n\n' + body, encoding="utf-8")
    return path


def test_catalog_check_accepts_a_sound_catalog(tmp_path):
    write_catalog(tmp_path, 'msgid "Salut"\nmsgstr "Hi"\n\nmsgid "Idée"\nmsgstr ""\n')
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 entries, 1 translated" in result.stdout
    assert "untranslated: 'Idée'" in result.stdout


@pytest.mark.parametrize("body, header_flags", [
    ('msgid "Salut"\nmsgstr "Hi"\ngarbage\n', ""),  # pybabel compile only warns
    ('msgid "Salut"\nmsgid "Encore"\nmsgstr "Hi"\n', ""),  # a msgid left without msgstr
    ('msgid "Salut"\nmsgstr "Hi"\n', "#, fuzzy\n"),  # pybabel compile would skip it silently
])
def test_catalog_check_refuses_a_broken_catalog(tmp_path, body, header_flags):
    write_catalog(tmp_path, body, header_flags)
    assert run_check(tmp_path).returncode != 0


def test_fill_fr_copies_msgids_and_plurals(tmp_path):
    path = tmp_path / "messages.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#, fuzzy\nmsgid "Idée"\nmsgstr "Vieille idée"\n\n'
        'msgid "%(num)d membre"\nmsgid_plural "%(num)d membres"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8")
    subprocess.run([sys.executable, str(ROOT / "scripts/i18n_fill_fr.py"), str(path)], check=True,
                   capture_output=True)
    with path.open("rb") as handle:
        filled = {message.id if isinstance(message.id, str) else message.id[0]: message
                  for message in entries(read_po(handle, abort_invalid=True))}
    assert filled["Idée"].string == "Idée" and not filled["Idée"].fuzzy
    assert tuple(filled["%(num)d membre"].string) == ("%(num)d membre", "%(num)d membres")


# --- which language a page is shown in --------------------------------------------------------


def login_page(client, accept_language=None):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    return text(client.get("/connexion", headers=headers))


def test_accept_language_english_gives_english(client):
    page = login_page(client, "en-US,en;q=0.9")
    assert HTML_LANG.search(page).group(1) == "en"
    assert "Log in to Fabrique à idées" in page
    assert "Forgot your password?" in page
    assert "Se connecter" not in page


def test_accept_language_french_or_none_gives_french(client):
    for accept_language in ("fr-FR,fr;q=0.9,en;q=0.5", None, "de"):
        page = login_page(client, accept_language)
        assert HTML_LANG.search(page).group(1) == "fr"
        assert "Se connecter à la Fabrique à idées" in page
        assert "Mot de passe oublié ?" in page


def test_header_switch_changes_an_anonymous_session(client):
    response = client.post("/langue", {"locale": "en", "next": "/connexion"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/connexion")
    page = login_page(client, "fr")  # the choice outranks the browser
    assert HTML_LANG.search(page).group(1) == "en"
    assert "Log in to Fabrique à idées" in page

    client.post("/langue", {"locale": "fr"})
    assert "Se connecter à la Fabrique à idées" in login_page(client, "en")


def test_header_switch_ignores_an_unknown_language(client):
    client.post("/langue", {"locale": "de"})
    assert HTML_LANG.search(login_page(client, "fr")).group(1) == "fr"


def test_profile_language_outranks_accept_language(make_client):
    english_agent = factories.UserFactory(locale="en", display_name="Alex")
    french_agent = factories.UserFactory(locale="fr", display_name="Camille")

    page = text(make_client(english_agent).get("/", headers={"Accept-Language": "fr"}))
    assert HTML_LANG.search(page).group(1) == "en"
    assert "Hello, Alex" in page and "My communities" in page

    page = text(make_client(french_agent).get("/", headers={"Accept-Language": "en"}))
    assert HTML_LANG.search(page).group(1) == "fr"
    assert "Bonjour Camille" in page and "Mes communautés" in page


def test_header_switch_saves_the_language_on_the_profile(client, make_client, agent):
    client.login(agent)
    client.post("/langue", {"locale": "en", "next": "/"})
    _db.session.expire_all()
    assert agent.locale == "en"
    # Another browser, whose session never chose: the profile's language follows the agent.
    page = text(make_client(agent).get("/", headers={"Accept-Language": "fr"}))
    assert HTML_LANG.search(page).group(1) == "en"


# --- plurals and numbers ----------------------------------------------------------------------


@pytest.fixture
def communities_of_every_size(db):
    for name, members in (("Zéro", 0), ("Une", 1), ("Deux", 2), ("Foule", 1234)):
        factories.CommunityFactory(name=name, member_count=members)


def member_counts(response) -> set[str]:
    return {f"{number} {noun}" for number, noun in MEMBER_COUNT.findall(text(response))}


def test_french_plurals_follow_the_french_rule(make_client, communities_of_every_size):
    reader = make_client(factories.UserFactory(locale="fr"))
    response = reader.get("/communautes/")
    assert member_counts(response) == {"0 membre", "1 membre", "2 membres", "1\u202f234 membres"}
    assert "4 communautés" in text(response)


def test_english_plurals_and_number_format(make_client, communities_of_every_size):
    reader = make_client(factories.UserFactory(locale="en"))
    response = reader.get("/communautes/")
    assert member_counts(response) == {"0 members", "1 member", "2 members", "1,234 members"}
    assert "4 communities" in text(response)


# --- dates: Europe/Paris, in the reader's language ----------------------------------------------


def test_dates_are_shown_in_paris_time_and_the_readers_language(make_client, admin):
    # 23:30 UTC on 15 January is 00:30 on the 16th in Paris (UTC+1 in winter).
    late = datetime(2026, 1, 15, 23, 30)
    target = factories.UserFactory(display_name="Dominique", created_at=late, last_login_at=late)
    url = f"/admin/agents/{target.id}"

    admin.locale = "fr"
    _db.session.commit()
    page = text(make_client(admin).get(url))
    assert "Inscrit le 16 janvier 2026" in page
    assert "Dernière connexion : 16/01/2026 00:30" in page

    admin.locale = "en"
    _db.session.commit()
    page = text(make_client(admin).get(url))
    assert "Joined January 16, 2026" in page
    assert "Last login: 1/16/26, 12:30\u202fAM" in page
