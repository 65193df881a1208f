"""Security headers on every response (SECURITY-CHECKLIST items 14, 53, 56; ASVS 14.4, 8.2.1).

- A Content-Security-Policy with a fresh nonce per response and `'strict-dynamic'`: only the
  <script> tags our templates carry (`nonce="{{ csp_nonce() }}"`) run, plus what they load; no
  `unsafe-inline`, no `unsafe-eval` (htmx runs with `allowEval: false`), no inline style.
- No framing (`frame-ancestors 'none'` and `X-Frame-Options: DENY`), no MIME sniffing, a
  referrer that never carries our paths to other sites, HSTS when `HSTS_SECONDS` is set
  (production).
- `Cache-Control: no-store` on every dynamic response (static files aside): pages carry the
  agent's name and memberships, exports and dashboard figures, the reset page a token in its
  URL; no shared or back-button cache may keep them. Nothing dynamic is public enough to cache.
- `Vary: HX-Request` on every dynamic response: many URLs answer a page or a fragment from the
  same address, and a cache must not give one for the other. Set here once, so routes added
  later are covered too.
"""

import secrets

from flask import Flask, current_app, g, request


def csp_nonce() -> str:
    """This response's nonce (the same for every tag of the page)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        # 'self' only matters to browsers without CSP 3 (they ignore 'strict-dynamic').
        f"script-src 'nonce-{nonce}' 'strict-dynamic' 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # DSFR's stylesheet draws icons as data: SVG
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _add_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    hsts = current_app.config.get("HSTS_SECONDS") or 0
    if hsts:
        headers["Strict-Transport-Security"] = f"max-age={int(hsts)}; includeSubDomains"
    if request.endpoint != "static":
        response.vary.add("HX-Request")
        headers["Cache-Control"] = "no-store"
    headers.pop("Server", None)  # the front server decides; ours never names a version
    return response


def register(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_add_headers)
