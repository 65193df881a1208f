"""Bulk import of ideas (`flask --app wsgi import-ideas FILE`): how an Atelier moves its idea
box or spreadsheet in.

Three steps. `import_reading` reads the file into records. `plan_records` checks every record
against the database and writes nothing. Only when no row is bad does `write_plans` create the
missing communities and invited accounts (with --create-missing), then the ideas, each followed
by its author. The caller commits once: a file is imported whole or not at all.

Idempotent on `external_ref`: a row whose reference is already in the database is skipped, not
updated (agents may have edited, supported and discussed the idea since; an import never
overwrites that). Rows without a reference are imported again on every run.
"""

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from blinker import Namespace
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from ideas import import_files
from ideas.accounts import services as accounts
from ideas.accounts.models import Role, User
from ideas.communities import services as communities
from ideas.communities.models import Community, Membership
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation import services as idea_services
from ideas.ideation.import_reading import Record, RowError, read_file
from ideas.ideation.import_values import (
    fold,
    parse_created_at,
    parse_sdgs,
    parse_status,
    split_list,
)
from ideas.ideation.models import (
    Idea,
    IdeaStatus,
)
from ideas.ideation.signals import idea_posted
from ideas.reference.models import Theme
from ideas.utils import clean_line, slugify, utcnow

EXTERNAL_REF_MAX = 120  # Idea.external_ref
COMMUNITY_NAME_MAX = 120  # Community.name
_CHUNK = 500  # rows per IN (…) query

_signals = Namespace()
# sender: None; kwargs: ideas (the list just committed). Search indexing connects here.
ideas_imported = _signals.signal("ideas-imported")


@dataclass
class PlannedIdea:
    """A row that passed every check: what will be written."""

    line: int
    title: str
    body: str
    community_key: str
    themes: list[Theme]
    tags: list[str]
    sdgs: list[int]
    author_email: str
    created_at: datetime
    status: IdeaStatus
    external_ref: str | None


@dataclass
class ImportReport(import_files.ImportReport):
    created: list[Idea] = field(default_factory=list)
    new_communities: list[Community] = field(default_factory=list)
    new_accounts: list[User] = field(default_factory=list)


@dataclass
class _Lookups:
    """What the rows refer to, loaded once for the whole file."""

    themes: dict[str, Theme]
    communities: dict[str, Community]
    users: dict[str, User]
    existing_refs: set[str]
    # Filled while planning with --create-missing: key → (name, theme ids); email → name.
    communities_to_create: dict[str, tuple[str, list[int]]] = field(default_factory=dict)
    accounts_to_create: dict[str, str] = field(default_factory=dict)


def _chunks(values: list[str]):
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _load_lookups(records: list[Record]) -> _Lookups:
    themes = {}
    for theme in db.session.scalars(db.select(Theme).where(Theme.is_active)):
        for key in (theme.code, theme.name_fr, theme.name_en):
            themes[fold(key)] = theme
    community_keys = {}
    for community in db.session.scalars(db.select(Community)):
        community_keys[fold(community.name)] = community
        community_keys[community.slug] = community
    emails = sorted({accounts.normalize_email(str(r.values.get("author_email") or ""))
                     for r in records} - {""})
    users = {user.email: user for chunk in _chunks(emails)
             for user in db.session.scalars(db.select(User).where(User.email.in_(chunk)))}
    refs = sorted({clean_line(str(r.values.get("external_ref") or "")) for r in records} - {""})
    existing = {ref for chunk in _chunks(refs) for ref in db.session.scalars(
        db.select(Idea.external_ref).where(Idea.external_ref.in_(chunk)))}
    return _Lookups(themes, community_keys, users, existing)


def _cell(record: Record, column: str) -> str:
    value = record.values.get(column)
    # NUL: PostgreSQL refuses it in text columns, and no one typed it on purpose.
    return "" if value is None else str(value).replace("\x00", "")


# -- Checks: the posting form's own rules (ideation.services), plus what only a file can get
# wrong. Each adds translated reasons to `problems`, so a row reports all its faults at once.

# One rule, whoever writes the idea: the form's validators (private to ideation, this package).
_clean_title, _clean_body = idea_services._title, idea_services._body


def _checked(check, value, problems: list):
    try:
        return check(value)
    except DomainError as error:
        problems.append(error.message)
        return None


def _community_key(value: str, lookups: _Lookups, create_missing: bool, themes: list[Theme],
                   problems: list) -> str:
    name = clean_line(value)
    if not name:
        problems.append(_l("La communauté n'est pas indiquée."))
        return ""
    for key in (name.lower(), slugify(name), fold(name)):
        community = lookups.communities.get(key)
        if community is not None:
            if community.is_archived:
                problems.append(_l("La communauté « %(name)s » est archivée.",
                                   name=community.name))
            return key
    if not create_missing:
        problems.append(_l("Communauté inconnue : « %(value)s » (l'option --create-missing la "
                           "créerait).", value=name))
    elif len(name) > COMMUNITY_NAME_MAX:
        problems.append(_l("Le nom de la communauté ne doit pas dépasser %(n)d caractères.",
                           n=COMMUNITY_NAME_MAX))
    else:
        key = slugify(name)
        _name, theme_ids = lookups.communities_to_create.setdefault(key, (name, []))
        theme_ids.extend(t.id for t in themes if t.id not in theme_ids)
        return key
    return ""


def _author_email(record: Record, lookups: _Lookups, create_missing: bool,
                  problems: list) -> str:
    raw = clean_line(_cell(record, "author_email"))
    email = accounts.normalize_email(raw)
    if not email:
        problems.append(_l("L'adresse électronique de l'auteur ou de l'autrice n'est pas "
                           "indiquée."))
        return ""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        problems.append(_l("Adresse électronique invalide : « %(value)s ».", value=raw))
        return ""
    user = lookups.users.get(email)
    if user is not None and not user.is_active:
        problems.append(_l("Le compte « %(value)s » est désactivé : il ne peut pas proposer "
                           "d'idée.", value=raw))
        return ""
    if user is None:
        if not create_missing:
            problems.append(_l("Aucun compte n'a l'adresse « %(value)s » (l'option "
                               "--create-missing créerait un compte invité).", value=raw))
            return ""
        lookups.accounts_to_create.setdefault(email, clean_line(_cell(record, "author_name")))
    return email


def _plan_record(record: Record, lookups: _Lookups, create_missing: bool, now: datetime,
                 seen_refs: dict[str, int]) -> tuple[PlannedIdea | None, list]:
    problems = []
    title = _checked(_clean_title, _cell(record, "title"), problems)
    body = _checked(_clean_body, _cell(record, "body"), problems)

    themes = []
    for value in split_list(record.values.get("themes")):
        theme = lookups.themes.get(fold(value))
        if theme is None:
            problems.append(_l("Thème inconnu : « %(value)s ».", value=value))
        elif theme not in themes:
            themes.append(theme)
    if not themes and not split_list(record.values.get("themes")):
        problems.append(_l("Indiquez au moins un thème."))

    tags = _checked(idea_services.normalize_tags, split_list(record.values.get("tags")),
                    problems) or []

    sdgs, created_at, status = [], None, IdeaStatus.SUBMITTED
    try:
        sdgs = parse_sdgs(record.values.get("sdgs"))
    except ValueError as error:
        problems.append(error.args[0])
    try:
        created_at = parse_created_at(_cell(record, "created_at"),
                                      current_app.config["BABEL_DEFAULT_TIMEZONE"], now)
    except ValueError as error:
        problems.append(error.args[0])
    try:
        status = parse_status(_cell(record, "status"))
    except ValueError as error:
        problems.append(error.args[0])

    ref = clean_line(_cell(record, "external_ref")) or None
    if ref and len(ref) > EXTERNAL_REF_MAX:
        problems.append(_l("La référence externe ne doit pas dépasser %(n)d caractères.",
                           n=EXTERNAL_REF_MAX))
    elif ref in seen_refs:
        problems.append(_l("La référence « %(value)s » figure déjà ligne %(line)d.",
                           value=ref, line=seen_refs[ref]))
    elif ref:
        seen_refs[ref] = record.line

    community_key = _community_key(_cell(record, "community"), lookups, create_missing, themes,
                                   problems)
    email = _author_email(record, lookups, create_missing, problems)
    if problems:
        return None, problems
    return PlannedIdea(record.line, title, body, community_key, themes, tags, sdgs, email,
                       created_at or now, status, ref), []


def plan_records(records: list[Record], *, create_missing: bool = False,
                 report: ImportReport | None = None) -> tuple[list[PlannedIdea], _Lookups,
                                                              ImportReport]:
    """Check every record; writes nothing. Errors land in the report, sorted by line."""
    report = report or ImportReport()
    lookups = _load_lookups(records)
    now, seen_refs, plans = utcnow(), {}, []
    for record in records:
        ref = clean_line(_cell(record, "external_ref"))
        if ref and ref in lookups.existing_refs:
            report.already_imported += 1  # skipped whole: neither checked again nor updated
            continue
        plan, problems = _plan_record(record, lookups, create_missing, now, seen_refs)
        report.errors.extend(RowError(record.line, problem) for problem in problems)
        if plan is not None:
            plans.append(plan)
    report.errors.sort(key=lambda error: error.line)
    return plans, lookups, report


# -- Writing. Reached only when every row passed.

def _first_admin() -> User | SimpleNamespace:
    admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN, User.is_active)
                              .order_by(User.id).limit(1))
    # create_community only reads the creator's id: no admin yet means "created by no one".
    return admin or SimpleNamespace(id=None)


def _ensure_member(user: User, community: Community) -> None:
    """Posting in a community makes its author a member (joining on the way), private too:
    the administrator running the import vouches for the file."""
    membership = db.session.scalar(db.select(Membership).filter_by(
        user_id=user.id, community_id=community.id))
    if membership is None or not membership.is_active:
        # set_facilitator(…, False) adds or approves a plain membership, private or not.
        communities.set_facilitator(community, user, False)


def create_imported_idea(plan: PlannedIdea, community: Community, author: User) -> Idea:
    """Write one checked row through the posting service (same rules, the author follows the
    idea), then give it what only an import knows: its date, state and reference."""
    _ensure_member(author, community)
    idea = idea_services.post_idea(author, community, title=plan.title, body=plan.body,
                                   theme_ids=[theme.id for theme in plan.themes],
                                   sdgs=plan.sdgs, tags=plan.tags)
    idea.created_at, idea.status, idea.external_ref = (plan.created_at, plan.status,
                                                       plan.external_ref)
    if plan.status != IdeaStatus.SUBMITTED:
        # The file tells the state, not when it changed: the posting date is the best we know.
        idea.status_changed_at = plan.created_at
    if plan.status == IdeaStatus.WITHDRAWN:
        idea.withdrawn_at = plan.created_at
    db.session.execute(db.update(IdeaFollow).where(IdeaFollow.idea_id == idea.id)
                       .values(created_at=plan.created_at))
    db.session.flush()
    return idea


def write_plans(plans: list[PlannedIdea], lookups: _Lookups, report: ImportReport,
                progress=None) -> ImportReport:
    """Create what --create-missing planned, then the ideas. Flushes only."""
    if lookups.communities_to_create:
        creator = _first_admin()
        for key, (name, theme_ids) in lookups.communities_to_create.items():
            community = communities.create_community(
                creator, name=name, description="", is_private=False, territory_id=None,
                theme_ids=theme_ids)
            lookups.communities[key] = community
            report.new_communities.append(community)
    for email, name in lookups.accounts_to_create.items():
        user = accounts.create_user(email, name, None)  # invited: no password until they set one
        lookups.users[email] = user
        report.new_accounts.append(user)
    bar = progress(length=len(plans), label="Import") if progress else nullcontext()
    # Imported ideas are history, not news: community followers are not notified of them.
    with bar as tick, idea_posted.muted():
        for plan in plans:
            report.created.append(create_imported_idea(
                plan, lookups.communities[plan.community_key], lookups.users[plan.author_email]))
            if tick is not None:
                tick.update(1)
    return report


def import_records(records: list[Record], *, create_missing: bool = False, progress=None,
                   report: ImportReport | None = None) -> ImportReport:
    """Check every record, then write them all, or write nothing if any is bad."""
    plans, lookups, report = plan_records(records, create_missing=create_missing, report=report)
    if report.errors:
        return report
    return write_plans(plans, lookups, report, progress)


def import_file(path, *, create_missing: bool = False, progress=None) -> ImportReport:
    """The whole import of one file. Flushes only: commit to keep it, roll back otherwise."""
    read = read_file(path)
    report = ImportReport(errors=list(read.errors), ignored_columns=read.ignored_columns)
    if report.errors:
        return report
    return import_records(read.records, create_missing=create_missing, progress=progress,
                          report=report)


def after_import(ideas: list[Idea]) -> None:
    """Call once the import is committed. The one place later features hook into: search
    indexing (a later issue) will connect to `ideas_imported`; nothing listens yet."""
    if ideas:
        ideas_imported.send(None, ideas=ideas)
