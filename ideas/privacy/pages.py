"""What the privacy page and the accessibility statement say, from config.py and from the
browser suite's axe-core results (docs/accessibility/axe-results.json, written by
tests/browser/axe.py when AXE_RESULTS is set: `make test-browser` does)."""

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ideas.dashboard.tables import percent

log = logging.getLogger(__name__)

# RGAA: "totalement conforme" when every criterion is met, "partiellement conforme" from 50 %,
# "non conforme" below, or when no valid audit result exists (automated checks are no audit).
STATUS_LABELS = {
    "full": _l("totalement conforme"),
    "partial": _l("partiellement conforme"),
    "none": _l("non conforme"),
}


def audit_rate(config) -> float | None:
    try:
        rate = float(str(config.get("ACCESSIBILITY_AUDIT_RATE") or "").replace(",", "."))
    except ValueError:
        return None
    return rate if 0 <= rate <= 100 else None


def compliance_status(config) -> str:
    rate = audit_rate(config)
    if rate is None:
        return "none"
    return "full" if rate >= 100 else "partial" if rate >= 50 else "none"


@dataclass
class RuleViolation:
    rule: str
    help: str
    impact: str
    criteria: list[str]
    pages: list[str] = field(default_factory=list)


@dataclass
class AxeSummary:
    axe_version: str | None
    updated_on: date | None
    pages: list[dict]
    violations: list[RuleViolation]
    incomplete_pages: int


def _criteria(tags: list[str]) -> list[str]:
    """axe's WCAG tags (`wcag143`) as success criteria (1.4.3), which RGAA criteria map to."""
    found = []
    for tag in tags:
        digits = tag.removeprefix("wcag")
        if tag.startswith("wcag") and digits.isdigit() and len(digits) >= 3:
            found.append(f"{digits[0]}.{digits[1]}.{digits[2:]}")
    return found


def load_axe_results(path: Path) -> AxeSummary | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.exception("unreadable axe results %s", path)
        return None
    pages = sorted(data.get("pages", []), key=lambda page: page.get("path", ""))
    by_rule: dict[str, RuleViolation] = {}
    for page in pages:
        for violation in page.get("violations", []):
            rule = by_rule.setdefault(violation["id"], RuleViolation(
                violation["id"], violation.get("help", ""), violation.get("impact") or "",
                _criteria(violation.get("tags", []))))
            rule.pages.append(page.get("title") or page.get("path", ""))
    updated = data.get("updated_at")
    return AxeSummary(
        axe_version=data.get("axe_version"),
        updated_on=date.fromisoformat(updated[:10]) if updated else None,
        pages=pages, violations=sorted(by_rule.values(), key=lambda rule: rule.rule),
        incomplete_pages=sum(1 for page in pages if page.get("incomplete")))


def accessibility_statement() -> dict:
    config = current_app.config
    audit_day = None
    if config.get("ACCESSIBILITY_AUDIT_DATE"):
        try:
            audit_day = date.fromisoformat(config["ACCESSIBILITY_AUDIT_DATE"])
        except ValueError:
            log.warning("ACCESSIBILITY_AUDIT_DATE is not YYYY-MM-DD: ignored")
    rate = audit_rate(config)
    return {"status": compliance_status(config), "rate": rate,
            "rate_text": percent(rate / 100) if rate is not None else None,
            "audit_day": audit_day, "contact_email": config.get("CONTACT_EMAIL"),
            "axe": load_axe_results(Path(config["ACCESSIBILITY_RESULTS"]))}


def period(days: int) -> str:
    """30 → "30 jours", 365 → "1 an", 180 → "6 mois"; 0 → None (kept)."""
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(num)d an", "%(num)d ans", years)
    if days % 30 == 0:
        months = days // 30
        return ngettext("%(num)d mois", "%(num)d mois", months)
    return ngettext("%(num)d jour", "%(num)d jours", days)


def retention_periods() -> dict[str, str | None]:
    config = current_app.config
    return {name: (period(int(config[name])) if int(config[name]) > 0 else None)
            for name in ("RETENTION_INVITATION_DAYS", "RETENTION_UNACTIVATED_ACCOUNT_DAYS",
                         "RETENTION_READ_NOTIFICATION_DAYS", "RETENTION_NOTIFICATION_DAYS",
                         "RETENTION_EMAIL_DAYS", "RETENTION_SECURITY_LOG_DAYS",
                         "RETENTION_MODERATION_LOG_DAYS")}
