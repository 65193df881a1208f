"""axe-core in the real page: WCAG 2.0/2.1 A and AA rules, no serious or critical violation.

The vendored `vendor/axe.min.js` is injected into the page under test. Every page checked leaves
its full results in `test-artifacts/axe/<name>.json`: the accessibility statement is built from
them.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_SCRIPT = HERE / "vendor" / "axe.min.js"
ARTIFACTS = HERE.parents[1] / "test-artifacts" / "axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags},
                                       resultTypes: ["violations", "incomplete"]})"""


def run_axe(page) -> dict:
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
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, (f"axe-core: {len(blocking)} serious/critical violation(s) on "
                          f"{name} ({page.url}):\n{describe(blocking)}")
    return results
