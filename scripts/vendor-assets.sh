#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry.
#
#   scripts/vendor-assets.sh
#
# Fetches the pinned packages below with `npm pack` into a temporary
# directory (no package.json or node_modules in the repository), copies the
# minimal set of files the app needs, with their licences, and checks that
# every url(...) in the vendored CSS resolves to a vendored file.
#
# Idempotent: the target directories are rebuilt from scratch, so rerunning
# with the same versions leaves the work tree unchanged.
#
# To upgrade a package: change its version, set its integrity to the value
# printed by `npm view <name>@<version> dist.integrity`, rerun, review the
# diff (static/vendor/VERSIONS.md is regenerated), commit.
set -euo pipefail

DSFR_VERSION="1.15.3"
DSFR_INTEGRITY="sha512-R9AALZc1LfZjtytWZMOaUIOHWTkllBZ/sZlsL8TpKZVgF3qUKXt/uNYh+L1D1Fh4p92ZqWxbtNcebsigBZe5pQ=="
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
CHARTJS_VERSION="4.6.1"
CHARTJS_INTEGRITY="sha512-hJyniucsFmq//EvXYvJ6c6mahPoI3kaxdjVH8awTaJ/fDNWeSqqqArixMJWkWNN6fcYvPU3HneSANFNYtRi61g=="
AXE_VERSION="4.14.1"
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
DSFR_DEST="$VENDOR/dsfr"
HTMX_DEST="$VENDOR/htmx"
CHARTJS_DEST="$VENDOR/chartjs"
AXE_DEST="$ROOT/tests/browser/vendor"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vendor-assets.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

for tool in npm tar python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 1; }
done

# fetch NAME VERSION INTEGRITY -> prints the path of the unpacked package/
fetch() {
    local name="$1" version="$2" integrity="$3"
    local dir="$WORK/$(echo "$name" | tr '/@' '__')"
    mkdir -p "$dir"
    # Runs from $dir so that no project npm config or package.json is involved.
    (cd "$dir" && npm pack --silent --pack-destination "$dir" "$name@$version" >/dev/null 2>"$dir/npm.log") || {
        cat "$dir/npm.log" >&2
        echo "error: npm pack $name@$version failed" >&2
        exit 1
    }
    local tgz
    tgz="$(ls "$dir"/*.tgz)"
    local actual
    actual="$(python3 -c 'import base64,hashlib,sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tgz")"
    if [[ "$actual" != "$integrity" ]]; then
        echo "error: integrity mismatch for $name@$version" >&2
        echo "  expected $integrity" >&2
        echo "  got      $actual" >&2
        exit 1
    fi
    tar xzf "$tgz" -C "$dir"
    echo "$dir/package"
}

# Copy a file keeping upstream bytes, with normal permissions.
put() { install -D -m 0644 "$1" "$2"; }

licence_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["license"])' "$1/package.json"; }

echo "Fetching packages from npm..."
DSFR_PKG="$(fetch @gouvfr/dsfr "$DSFR_VERSION" "$DSFR_INTEGRITY")"
HTMX_PKG="$(fetch htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY")"
CHARTJS_PKG="$(fetch chart.js "$CHARTJS_VERSION" "$CHARTJS_INTEGRITY")"
AXE_PKG="$(fetch axe-core "$AXE_VERSION" "$AXE_INTEGRITY")"

# --- 1. DSFR -----------------------------------------------------------------
echo "DSFR $DSFR_VERSION -> ${DSFR_DEST#$ROOT/}"
rm -rf "$DSFR_DEST"
mkdir -p "$DSFR_DEST"
DSFR_DIST="$DSFR_PKG/dist"
# CSS files, as paths relative to dist/ (kept, so their url() paths resolve).
DSFR_CSS=(dsfr.min.css utility/icons/icons.min.css)
for f in "${DSFR_CSS[@]}" dsfr.module.min.js dsfr.nomodule.min.js; do
    put "$DSFR_DIST/$f" "$DSFR_DEST/$f"
done
cp -R "$DSFR_DIST/fonts" "$DSFR_DEST/fonts"
cp -R "$DSFR_DIST/favicon" "$DSFR_DEST/favicon"
put "$DSFR_PKG/LICENSE.md" "$DSFR_DEST/LICENSE.md"
# LICENSE.md points to the terms of use (doc/legal/cgu.md): keep them too.
put "$DSFR_PKG/doc/legal/cgu.md" "$DSFR_DEST/CGU.md"

# Copy exactly the files (icons) referenced by url(...) in the copied CSS.
python3 - "$DSFR_DIST" "$DSFR_DEST" "${DSFR_CSS[@]}" <<'PY'
import os, re, shutil, sys

src, dest, css_files = sys.argv[1], sys.argv[2], sys.argv[3:]
URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)")
copied = 0
for css in css_files:
    text = open(os.path.join(src, css), encoding="utf-8").read()
    base = os.path.dirname(css)
    for _, ref in URL.findall(text):
        if ref.startswith(("data:", "#")) or re.match(r"^[a-z]+://", ref):
            continue
        ref = re.split(r"[?#]", ref)[0]
        rel = os.path.normpath(os.path.join(base, ref))
        if rel.startswith(".."):
            sys.exit(f"error: {css} references {ref} outside dist/")
        target = os.path.join(dest, rel)
        if not os.path.exists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(src, rel), target)
            copied += 1
print(f"  copied {copied} files referenced from CSS")
PY

# --- 2. htmx -----------------------------------------------------------------
echo "htmx $HTMX_VERSION -> ${HTMX_DEST#$ROOT/}"
rm -rf "$HTMX_DEST"
put "$HTMX_PKG/dist/htmx.min.js" "$HTMX_DEST/htmx.min.js"
put "$HTMX_PKG/LICENSE" "$HTMX_DEST/LICENSE"

# --- 3. axe-core (browser tests only) ----------------------------------------
echo "axe-core $AXE_VERSION -> ${AXE_DEST#$ROOT/}"
rm -f "$AXE_DEST/axe.min.js" "$AXE_DEST/LICENSE" "$AXE_DEST/LICENSE-3RD-PARTY.txt"
put "$AXE_PKG/axe.min.js" "$AXE_DEST/axe.min.js"
put "$AXE_PKG/LICENSE" "$AXE_DEST/LICENSE"
put "$AXE_PKG/LICENSE-3RD-PARTY.txt" "$AXE_DEST/LICENSE-3RD-PARTY.txt"

# --- 4. Chart.js -------------------------------------------------------------
echo "Chart.js $CHARTJS_VERSION -> ${CHARTJS_DEST#$ROOT/}"
rm -rf "$CHARTJS_DEST"
put "$CHARTJS_PKG/dist/chart.umd.min.js" "$CHARTJS_DEST/chart.umd.min.js"
put "$CHARTJS_PKG/LICENSE.md" "$CHARTJS_DEST/LICENSE.md"

# --- Check: every url(...) in vendored CSS resolves --------------------------
python3 - "$VENDOR" <<'PY'
import os, re, sys

root = sys.argv[1]
URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)")
checked, missing = set(), set()
for dirpath, _, files in os.walk(root):
    for name in sorted(files):
        if not name.endswith(".css"):
            continue
        css = os.path.join(dirpath, name)
        for _, ref in URL.findall(open(css, encoding="utf-8").read()):
            if ref.startswith(("data:", "#")) or re.match(r"^[a-z]+://", ref):
                continue
            path = os.path.normpath(os.path.join(dirpath, re.split(r"[?#]", ref)[0]))
            checked.add(path)
            if not os.path.isfile(path):
                missing.add(f"{os.path.relpath(css, root)}: {ref}")
if missing:
    print("error: unresolved url() references:", *sorted(missing), sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"url() check: {len(checked)} distinct files referenced, all present")
PY

# --- 5. VERSIONS.md ----------------------------------------------------------
DSFR_LICENCE="$(licence_of "$DSFR_PKG")"
HTMX_LICENCE="$(licence_of "$HTMX_PKG")"
CHARTJS_LICENCE="$(licence_of "$CHARTJS_PKG")"
AXE_LICENCE="$(licence_of "$AXE_PKG")"
DSFR_ICON_COUNT="$(find "$DSFR_DEST/icons" -name '*.svg' | wc -l | tr -d ' ')"

cat >"$VENDOR/VERSIONS.md" <<EOF
# Vendored front-end assets

Generated by \`scripts/vendor-assets.sh\`; do not edit by hand. To upgrade,
change the pinned versions (and integrity hashes) at the top of the script,
rerun it and commit the result. Files are copied byte for byte from the
npm tarballs (no build step, no node_modules in the repository).

| Package | Version | npm name | Licence | Files taken | Why |
| --- | --- | --- | --- | --- | --- |
| DSFR (Système de design de l'État) | $DSFR_VERSION | \`@gouvfr/dsfr\` | $DSFR_LICENCE (Licence Ouverte 2.0), plus the DSFR terms of use; Marianne fonts under their own conditions | \`dist/dsfr.min.css\`, \`dist/utility/icons/icons.min.css\`, \`dist/dsfr.module.min.js\`, \`dist/dsfr.nomodule.min.js\`, \`dist/fonts/\`, \`dist/favicon/\`, the $DSFR_ICON_COUNT \`dist/icons/**/*.svg\` referenced by the two CSS files, \`LICENSE.md\`, \`doc/legal/cgu.md\` (as \`CGU.md\`) → \`static/vendor/dsfr/\` | State design system: core and component styles, \`fr-icon-*\` icon classes (defined in the utility icons CSS, not in \`dsfr.min.css\`), component JS (ES module for modern browsers, nomodule fallback), fonts and favicons. Relative layout kept so that CSS \`url()\` paths resolve. |
| htmx | $HTMX_VERSION | \`htmx.org\` | $HTMX_LICENCE | \`dist/htmx.min.js\`, \`LICENSE\` → \`static/vendor/htmx/\` | Partial page updates (progressive enhancement). Pinned to the 2.0.x line. |
| Chart.js | $CHARTJS_VERSION | \`chart.js\` | $CHARTJS_LICENCE | \`dist/chart.umd.min.js\`, \`LICENSE.md\` → \`static/vendor/chartjs/\` | Dashboard charts (UMD build, usable from a plain \`<script>\` tag). |
| axe-core | $AXE_VERSION | \`axe-core\` | $AXE_LICENCE | \`axe.min.js\`, \`LICENSE\`, \`LICENSE-3RD-PARTY.txt\` → \`tests/browser/vendor/\` | Accessibility checks injected into pages by the browser tests only; never served by the app. |

## Using DSFR in a base template

CSS, in this order:

\`\`\`html
<link rel="stylesheet" href="{{ url_for('static', filename='vendor/dsfr/dsfr.min.css') }}">
<link rel="stylesheet" href="{{ url_for('static', filename='vendor/dsfr/utility/icons/icons.min.css') }}">
\`\`\`

JS, at the end of \`<body>\`:

\`\`\`html
<script type="module" src="{{ url_for('static', filename='vendor/dsfr/dsfr.module.min.js') }}"></script>
<script nomodule src="{{ url_for('static', filename='vendor/dsfr/dsfr.nomodule.min.js') }}"></script>
\`\`\`
EOF

echo "Done. Sizes:"
du -sh --apparent-size "$DSFR_DEST" "$HTMX_DEST" "$CHARTJS_DEST" "$AXE_DEST"
