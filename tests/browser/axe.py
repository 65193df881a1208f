"""axe-core in the real page: WCAG 2.0/2.1 A and AA rules, no serious or critical violation.

The vendored `vendor/axe.min.js` is injected into the page under test. Every page checked leaves
its full results in `test-artifacts/axe/<name>.json`. With `AXE_RESULTS=1` (as `make
test-browser` sets it), or the path of another file, a summary of each page checked (path,
title, date, violations by rule, count of points to check by hand) is also merged into
`docs/accessibility/axe-results.json`, kept in git: the accessibility statement page
(/accessibilite) is generated from it.
"""

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
AXE_SCRIPT = HERE / "vendor" / "axe.min.js"
ARTIFACTS = HERE.parents[1] / "test-artifacts" / "axe"
STATEMENT_RESULTS = HERE.parents[1] / "docs" / "accessibility" / "axe-results.json"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags},
                                       resultTypes: ["violations", "incomplete"]})"""


# DSFR finishes the page in JavaScript (its header menu among others): axe judges the page as
# users get it, not a half-started one.
DSFR_STARTED = '() => document.documentElement.dataset.frJs === "true"'


def run_axe(page) -> dict:
    page.wait_for_function(DSFR_STARTED, timeout=10_000)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']}"
                     f" ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html']}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def check_accessibility(page, name: str, save: bool = True) -> dict:
    """Run axe on the page as it is now; fail on any serious or critical WCAG A/AA violation.

    `save=False` keeps a deliberately broken page out of the accessibility statement's data.
    """
    results = run_axe(page)
    if save:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        record = {"name": name, "url": page.url, "title": page.title(), "tags": WCAG_TAGS,
                  "axe_version": results.get("testEngine", {}).get("version"),
                  "violations": results["violations"], "incomplete": results["incomplete"]}
        (ARTIFACTS / f"{name}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        record_for_statement(name, page, results)
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (f"axe-core: {len(blocking)} serious/critical violation(s) on "
                          f"{name} ({page.url}):\n{describe(blocking)}")
    return results


def statement_results_path() -> Path | None:
    setting = os.environ.get("AXE_RESULTS", "").strip()
    if not setting or setting.lower() in {"0", "false", "no"}:
        return None
    return STATEMENT_RESULTS if setting.lower() in {"1", "true", "yes"} else Path(setting)


def record_for_statement(name: str, page, results: dict) -> None:
    """Merge this page's summary into the statement's file (other pages' entries stay, so a
    partial run updates what it checked). Paths only: the test server's port changes."""
    path = statement_results_path()
    if path is None:
        return
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    pages = {entry["name"]: entry for entry in data.get("pages", [])}
    parts = urlsplit(page.url)
    pages[name] = {
        "name": name,
        "path": parts.path + (f"?{parts.query}" if parts.query else ""),
        "title": page.title(),
        "checked_at": now,
        "violations": [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                        "tags": [t for t in v["tags"] if t.startswith("wcag")],
                        "nodes": len(v["nodes"])} for v in results["violations"]],
        "incomplete": len(results["incomplete"]),
    }
    data.update({
        "generated_by": "tests/browser/axe.py",
        "standard": WCAG_TAGS,
        "axe_version": results.get("testEngine", {}).get("version"),
        "updated_at": now,
        "pages": [pages[key] for key in sorted(pages)],
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")
    temporary.replace(path)
