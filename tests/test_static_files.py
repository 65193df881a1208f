"""Static files: content-hashed URLs, a year of cache for them, gzip for text, DSFR's fonts and
icons reached from its stylesheet under the same hashed prefix."""

import gzip
import re

import pytest
from flask import Flask, url_for

from ideas import assets

IMMUTABLE = "public, max-age=31536000, immutable"


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_hashed_static_files_cached_for_a_year(client):
    urls = _static_urls(client.get("/connexion").text)
    assert any("dsfr.min.css" in url for url in urls) and any("htmx" in url for url in urls)
    for url in urls:
        assert re.match(r"/static/v-[0-9a-f]{12}/", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        response.close()


def test_text_is_gzipped_for_browsers_that_accept_it(app, client):
    with app.test_request_context():
        url = url_for("static", filename="vendor/dsfr/dsfr.min.css")
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert zipped.headers["Content-Type"].startswith("text/css")
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 4
    assert zipped.headers["Cache-Control"] == IMMUTABLE
    # Revalidation of the compressed copy answers 304.
    again = client.get(url, headers={"Accept-Encoding": "gzip",
                                     "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304
    for response in (plain, zipped, again):
        response.close()


def test_dsfr_fonts_and_icons_resolve_from_its_stylesheets(app, client):
    """Relative URLs in DSFR's CSS keep the stylesheet's hashed prefix; the files are served
    with the long cache, fonts as they are (already compressed)."""
    with app.test_request_context():
        css = url_for("static", filename="vendor/dsfr/dsfr.min.css")
        icons_css = url_for("static", filename="vendor/dsfr/utility/icons/icons.min.css")
    font = re.search(r"url\((fonts/[^)]+\.woff2)\)", client.get(css).text).group(1)
    icon = re.search(r"url\((\.\./\.\./icons/[^)]+\.svg)\)", client.get(icons_css).text).group(1)
    base = css.rsplit("/", 1)[0]
    icons_base = icons_css.rsplit("/", 1)[0]
    font_url = f"{base}/{font}"
    icon_url = re.sub(r"[^/]+/[^/]+/\.\./\.\./", "", f"{icons_base}/{icon}")
    for url in (font_url, icon_url):
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        response.close()
    font_response = client.get(font_url, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in font_response.headers
    font_response.close()


def test_an_old_or_missing_hash_is_served_but_revalidated(client):
    for url in ("/static/css/app.css", "/static/v-000000000000/css/app.css"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        response.close()
    assert client.get("/static/v-000000000000/css/absent.css").status_code == 404
    assert client.get("/static/v-000000000000/../config.py").status_code == 404


@pytest.fixture
def site(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body { color: black; }")
    font_dir = tmp_path / "vendor" / "kit" / "fonts"
    font_dir.mkdir(parents=True)
    (tmp_path / "vendor" / "kit" / "kit.css").write_text("@font-face { src: url(fonts/a.woff2) }")
    (font_dir / "a.woff2").write_bytes(b"font v1")
    app = Flask(__name__, static_folder=str(tmp_path))
    assets.register(app)
    return app, tmp_path


def _url(app, filename: str) -> str:
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_a_changed_file_gets_a_new_url(site):
    app, folder = site
    before = _url(app, "css/app.css")
    assert before == _url(app, "css/app.css")  # stable while the file is unchanged
    (folder / "css" / "app.css").write_text("body { color: navy; }")
    after = _url(app, "css/app.css")
    assert after != before
    client = app.test_client()
    assert client.get(after).headers["Cache-Control"] == IMMUTABLE
    assert client.get(before).headers["Cache-Control"] == "no-cache"  # stale link: revalidate
    assert b"navy" in client.get(before, headers={"Accept-Encoding": "identity"}).data


def test_a_vendored_package_changes_its_url_when_any_of_its_files_does(site):
    """A font changed under an unchanged stylesheet must change the stylesheet's URL, since the
    font is reached through it."""
    app, folder = site
    before = _url(app, "vendor/kit/kit.css")
    (folder / "vendor" / "kit" / "fonts" / "a.woff2").write_bytes(b"font v2")
    fresh = Flask(__name__, static_folder=str(folder))  # a new process (a deploy)
    assets.register(fresh)
    assert _url(fresh, "vendor/kit/kit.css") != before
    assert _url(fresh, "vendor/kit/kit.css").rsplit("/", 1)[0] == _url(
        fresh, "vendor/kit/fonts/a.woff2").rsplit("/", 2)[0]
