"""Bulk import of the catalogue (`flask --app wsgi import-services FILE`, or the upload page):
how management registers the whole offer, services from ideas and the others alike.

Same steps as the idea import, and the same file reading (`ideas.import_files`): every record
is checked against the database first, with the rules of the service form
(`offer.services.check_service`); only when no row is bad are the services written, all in the
caller's transaction. Idempotent on `external_ref`: a row whose reference is already in the
catalogue is skipped, never updated (the service may have been edited since)."""

from contextlib import nullcontext
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ideas import import_files
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.import_files import Columns, Record, RowError, read_data, read_file
from ideas.offer import services
from ideas.offer.labels import STATUS_LABELS, TYPE_LABELS
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.reference.models import Territory
from ideas.utils import clean_line, fold, parse_date

EXTERNAL_REF_MAX = 120  # Service.external_ref
MAX_ID = 2**31 - 1

SERVICE_COLUMNS = Columns(
    required=("name", "type"),
    optional=("description", "territory", "launch_date", "status", "source_ideas",
              "stated_origin", "external_ref"),
    aliases={
        "name": ["nom", "nom_du_service", "service", "intitule"],
        "description": ["texte", "presentation"],
        "type": ["type_de_service", "categorie"],
        "territory": ["territoire", "code_territoire"],
        "launch_date": ["date_de_lancement", "date_lancement", "lancement", "date", "lance_le"],
        "status": ["statut", "etat"],
        "source_ideas": ["idees", "idees_sources", "idees_d_origine", "ideas", "source_idees"],
        "stated_origin": ["origine", "origine_declaree", "origin"],
        "external_ref": ["reference", "ref", "reference_externe", "id"],
    },
    empty_message=_l("Le fichier ne contient aucun service."),
)

# Codes, French labels (and a few words spreadsheets use) → values.
_TYPE_WORDS = {ServiceType.EVENT: ["événement", "evenement", "event"],
               ServiceType.TRAINING: ["formations", "training"],
               ServiceType.RESOURCE: ["ressources", "resource"],
               ServiceType.PLATFORM: ["plateformes", "platform", "outil"],
               ServiceType.SUPPORT: ["support"], ServiceType.OTHER: ["other"]}
TYPE_KEYS = {fold(word): kind for kind in ServiceType
             for word in [kind.value, str(TYPE_LABELS[kind]), *_TYPE_WORDS.get(kind, [])]}
_STATUS_WORDS = {ServiceStatus.PLANNED: ["prévu", "prévue", "en projet", "à venir"],
                 ServiceStatus.LAUNCHED: ["lancé", "lancée", "en service", "actif", "active"],
                 ServiceStatus.RETIRED: ["retiré", "retirée", "arrêté", "arrêtée"]}
STATUS_KEYS = {fold(word): status for status in ServiceStatus
               for word in [status.value, str(STATUS_LABELS[status]), *_STATUS_WORDS[status]]}


@dataclass
class PlannedService:
    line: int
    fields: dict
    external_ref: str | None


@dataclass
class ImportReport(import_files.ImportReport):
    created: list[Service] = field(default_factory=list)


@dataclass
class _Lookups:
    territories: dict[str, Territory]
    ideas_by_id: dict[int, Idea]
    ideas_by_ref: dict[str, Idea]
    existing_refs: set[str]


def _cell(record: Record, column: str) -> str:
    value = record.values.get(column)
    return "" if value is None else str(value).replace("\x00", "")


def _idea_keys(record: Record) -> list[str]:
    value = record.values.get("source_ideas")
    items = value if isinstance(value, list | tuple) else str(value or "").split("|")
    return [clean_line(str(item)) for item in items if clean_line(str(item))]


def _load_lookups(records: list[Record]) -> _Lookups:
    territories = {}
    for territory in db.session.scalars(db.select(Territory)):
        territories[fold(territory.code)] = territory
        territories[fold(territory.name)] = territory
    keys = {key for record in records for key in _idea_keys(record)}
    ids = {int(key) for key in keys if key.isdigit() and 0 < int(key) <= MAX_ID}
    ideas_by_id = {idea.id: idea for idea in db.session.scalars(
        db.select(Idea).where(Idea.id.in_(ids)))} if ids else {}
    # A reference made of digits may be an import reference as well as an id: look both up.
    ideas_by_ref = {idea.external_ref: idea for idea in db.session.scalars(
        db.select(Idea).where(Idea.external_ref.in_(keys)))} if keys else {}
    service_refs = {clean_line(_cell(r, "external_ref")) for r in records} - {""}
    existing = set(db.session.scalars(db.select(Service.external_ref).where(
        Service.external_ref.in_(service_refs)))) if service_refs else set()
    return _Lookups(territories, ideas_by_id, ideas_by_ref, existing)


def _parse(record: Record, lookups: _Lookups, problems: list) -> dict:
    kind = TYPE_KEYS.get(fold(_cell(record, "type")))
    if kind is None:
        problems.append(_l("Type de service inconnu : « %(value)s » (attendu : formation, "
                           "ressource, plateforme, accompagnement, événement ou autre).",
                           value=clean_line(_cell(record, "type"))))
    territory = None
    if clean_line(_cell(record, "territory")):
        territory = lookups.territories.get(fold(_cell(record, "territory")))
        if territory is None:
            problems.append(_l("Territoire inconnu : « %(value)s » (indiquez son code ou son "
                               "nom).", value=clean_line(_cell(record, "territory"))))
    launch_date = None
    try:
        launch_date = parse_date(_cell(record, "launch_date"))
    except ValueError:
        problems.append(_l("Date de lancement invalide : « %(value)s » (attendu : JJ/MM/AAAA "
                           "ou AAAA-MM-JJ).", value=clean_line(_cell(record, "launch_date"))))
    status_text = clean_line(_cell(record, "status"))
    if status_text:
        status = STATUS_KEYS.get(fold(status_text))
        if status is None:
            problems.append(_l("État inconnu : « %(value)s » (attendu : prévu, lancé ou "
                               "retiré).", value=status_text))
    else:  # a launch date says it was launched
        status = ServiceStatus.LAUNCHED if launch_date else ServiceStatus.PLANNED
    ideas = []
    for key in _idea_keys(record):
        idea = lookups.ideas_by_ref.get(key) or (
            lookups.ideas_by_id.get(int(key)) if key.isdigit() and int(key) <= MAX_ID else None)
        if idea is None:
            problems.append(_l("Idée introuvable : « %(value)s » (indiquez son numéro ou sa "
                               "référence d'import).", value=key))
        elif idea not in ideas:
            ideas.append(idea)
    return {"name": _cell(record, "name"), "description": _cell(record, "description"),
            "type": kind or ServiceType.OTHER,
            "territory_id": territory.id if territory else None, "launch_date": launch_date,
            "status": status or ServiceStatus.PLANNED, "ideas": ideas,
            "stated_origin": _cell(record, "stated_origin")}


def _plan_record(record: Record, lookups: _Lookups, seen_refs: dict[str, int]):
    problems = []
    fields = _parse(record, lookups, problems)
    if not problems:  # the form's own rules: name, origin, launch date of a launched service
        try:
            services.check_service(**fields)
        except DomainError as error:
            problems.append(error.message)
    ref = clean_line(_cell(record, "external_ref")) or None
    if ref and len(ref) > EXTERNAL_REF_MAX:
        problems.append(_l("La référence externe ne doit pas dépasser %(n)d caractères.",
                           n=EXTERNAL_REF_MAX))
    elif ref in seen_refs:
        problems.append(_l("La référence « %(value)s » figure déjà ligne %(line)d.",
                           value=ref, line=seen_refs[ref]))
    elif ref:
        seen_refs[ref] = record.line
    return (None if problems else PlannedService(record.line, fields, ref)), problems


def plan_records(records: list[Record], report: ImportReport) -> list[PlannedService]:
    """Check every record; writes nothing. Errors land in the report, sorted by line."""
    lookups = _load_lookups(records)
    plans, seen_refs = [], {}
    for record in records:
        ref = clean_line(_cell(record, "external_ref"))
        if ref and ref in lookups.existing_refs:
            report.already_imported += 1
            continue
        plan, problems = _plan_record(record, lookups, seen_refs)
        report.errors.extend(RowError(record.line, problem) for problem in problems)
        if plan is not None:
            plans.append(plan)
    report.errors.sort(key=lambda error: error.line)
    return plans


def import_records(records: list[Record], user=None, *, progress=None,
                   report: ImportReport | None = None) -> ImportReport:
    """Every record, or none if any is bad. Flushes only: the caller commits or rolls back."""
    report = report or ImportReport()
    plans = plan_records(records, report)
    if report.errors:
        return report
    bar = progress(length=len(plans), label="Import") if progress else nullcontext()
    with bar as tick:
        for plan in plans:
            service = services.create_service(user, **plan.fields)
            service.external_ref = plan.external_ref
            report.created.append(service)
            if tick is not None:
                tick.update(1)
    db.session.flush()
    return report


def _import(read, user, progress) -> ImportReport:
    report = ImportReport(errors=list(read.errors), ignored_columns=read.ignored_columns)
    if report.errors:
        return report
    return import_records(read.records, user, progress=progress, report=report)


def import_file(path, user=None, *, progress=None) -> ImportReport:
    return _import(read_file(path, SERVICE_COLUMNS), user, progress)


def import_upload(data: bytes, filename: str, user) -> ImportReport:
    return _import(read_data(data, filename, SERVICE_COLUMNS), user, None)
