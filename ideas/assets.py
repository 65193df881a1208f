"""Static files: cache-busted URLs, a year of browser cache, gzip.

- `url_for('static', filename=…)` gives `/static/v-<digest>/<filename>`: the digest is a hash of
  the file's content, so a changed file gets a new URL and browsers may keep each URL for a
  year (`Cache-Control: public, max-age=31536000, immutable`) without ever showing a stale one.
- A vendored package (`vendor/<name>/`) has one digest for its whole tree: DSFR's stylesheet
  reaches its fonts and icons by relative URLs (`fonts/Marianne-Bold.woff2`,
  `../../icons/…svg`), which keep the stylesheet's `v-<digest>/` prefix; the package's digest
  changes whenever any of its files does. Computed once per process (a vendored package changes
  with a deploy); our own files are checked by size and modification time on each URL.
- An address with an old or no digest still serves the current file, but `no-cache` (the
  browser revalidates it): a page from before a deploy never pins a newer file under its URL.
- Text files (CSS, JS, SVG…) go gzipped to browsers that accept it, compressed once per process
  and file version; fonts and images are already compressed.
"""

import gzip
import hashlib
import mimetypes
import os
import re
from pathlib import Path

from flask import Flask, Response, request, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

VERSIONED = re.compile(r"v-([0-9a-f]{12})/")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                "application/json", "text/plain", "text/markdown", "text/html"}
MIN_COMPRESS = 512  # bytes: below this gzip's header costs more than it saves


def _sha(chunks) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()[:12]


class StaticFiles:
    """Digests and compressed copies of the files under `folder`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._files: dict[str, tuple[tuple[int, int], str]] = {}  # path: ((size, mtime), digest)
        self._packages: dict[str, str] = {}  # "vendor/<name>": digest of the whole tree
        self._gzipped: dict[str, tuple[tuple[int, int], bytes]] = {}

    def _path(self, filename: str) -> Path | None:
        joined = safe_join(str(self.folder), filename)
        return Path(joined) if joined and os.path.isfile(joined) else None

    @staticmethod
    def _package(filename: str) -> str | None:
        parts = filename.split("/")
        return "/".join(parts[:2]) if len(parts) > 2 and parts[0] == "vendor" else None

    def digest(self, filename: str) -> str | None:
        """The content hash in the file's URL, or None for a file that does not exist."""
        path = self._path(filename)
        if path is None:
            return None
        package = self._package(filename)
        if package is not None:
            if package not in self._packages:
                files = sorted(p for p in (self.folder / package).rglob("*") if p.is_file())
                self._packages[package] = _sha(
                    part for p in files for part in (p.relative_to(self.folder).as_posix()
                                                     .encode(), b"\0", p.read_bytes()))
            return self._packages[package]
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns)
        known = self._files.get(filename)
        if known is None or known[0] != key:
            known = (key, _sha([path.read_bytes()]))
            self._files[filename] = known
        return known[1]

    def gzipped(self, filename: str) -> bytes | None:
        """The file gzipped, if it is text worth compressing."""
        path = self._path(filename)
        mimetype = mimetypes.guess_type(filename)[0]
        if path is None or mimetype not in COMPRESSIBLE:
            return None
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns)
        if stat.st_size < MIN_COMPRESS:
            return None
        known = self._gzipped.get(filename)
        if known is None or known[0] != key:
            known = (key, gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
            self._gzipped[filename] = known
        return known[1]


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0 and not request.range


def register(app: Flask) -> None:
    files = StaticFiles(app.static_folder)
    app.extensions["static_files"] = files

    @app.url_defaults
    def _versioned_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            digest = files.digest(values["filename"])
            if digest is not None:
                values["filename"] = f"v-{digest}/{values['filename']}"

    def static(filename: str) -> Response:
        asked = None
        match = VERSIONED.match(filename)
        if match:
            asked, filename = match.group(1), filename[match.end():]
        if files.digest(filename) is None:
            raise NotFound()
        fresh = asked is not None and asked == files.digest(filename)
        body = files.gzipped(filename) if _accepts_gzip() else None
        if body is None:
            response = send_from_directory(app.static_folder, filename, max_age=None)
        else:
            response = Response(body, mimetype=mimetypes.guess_type(filename)[0])
            response.headers["Content-Encoding"] = "gzip"
            response.set_etag(f"{files.digest(filename)}-gz")
            response.make_conditional(request)
        if files.gzipped(filename) is not None:
            response.vary.add("Accept-Encoding")
        response.headers["Cache-Control"] = IMMUTABLE if fresh else REVALIDATE
        return response

    app.view_functions["static"] = static
