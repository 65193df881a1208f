"""Demo data of issue 5: demo ideas moved through the workflow (so their status history is
real, written by `move_idea`), the catalogue of services over several years, and research
interventions. Called by `ideas.demo.seed_demo`; idempotent like it (external references for
ideas and services, natural keys for interventions); flushes only."""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from ideas.accounts.models import User
from ideas.communities.models import Community
from ideas.communities.permissions import forget_memberships
from ideas.demo_services import (
    ADOPTED_IDEA_SERVICES,
    DEMO_SERVICES,
    FIRST_INTERVENTION_YEAR,
    INTERVENTION_TOPICS,
    INTERVENTIONS_PER_YEAR,
    RESEARCHERS,
    RETIRED_SERVICES,
)
from ideas.extensions import db
from ideas.ideation.import_reading import Record
from ideas.ideation.importer import import_records
from ideas.ideation.models import Idea, IdeaStatus
from ideas.offer import services as offer_services
from ideas.offer.models import Service, ServiceStatus
from ideas.reference.models import Territory
from ideas.research.models import InterventionFormat, ResearchIntervention
from ideas.workflow.models import StatusChange
from ideas.workflow.services import move_idea

S = IdeaStatus
# The moves that bring a posted idea to each state (DOMAIN.md's workflow).
PATHS = {
    S.SUBMITTED: [], S.IN_REVIEW: [S.IN_REVIEW], S.SELECTED: [S.IN_REVIEW, S.SELECTED],
    S.PILOTING: [S.IN_REVIEW, S.SELECTED, S.PILOTING],
    S.ADOPTED: [S.IN_REVIEW, S.SELECTED, S.PILOTING, S.ADOPTED],
    S.DECLINED: [S.IN_REVIEW, S.DECLINED], S.WITHDRAWN: [S.WITHDRAWN], S.MERGED: [S.MERGED],
}
ANSWERS = {
    S.IN_REVIEW: ["", "L'animatrice transmet l'idée à la direction pour étude."],
    S.SELECTED: [
        "La direction **retient** cette idée : une équipe projet est constituée avec la "
        "communauté.",
        "Idée retenue. Elle sera étudiée avec les services concernés avant une expérimentation.",
    ],
    S.PILOTING: ["Une expérimentation commence dans deux Ateliers volontaires ; bilan dans "
                 "six mois.", "Expérimentation lancée au siège et dans un Atelier pilote."],
    S.ADOPTED: ["L'expérimentation est concluante : l'idée devient un service de l'offre.",
                "Adoptée ! Merci à la communauté : le service est ouvert à tout le réseau."],
    S.DECLINED: [
        "Merci pour cette proposition. Elle n'est pas retenue cette année : les contraintes "
        "budgétaires ne le permettent pas.",
        "Idée non retenue : un dispositif national équivalent existe déjà (voir l'intranet).",
    ],
    S.MERGED: ["Cette idée rejoint une proposition plus ancienne sur le même sujet."],
}
MERGED_DUPLICATE = {
    "ref": "demo-merged-001", "community": 0, "into": "demo-001", "days_ago": 600,
    "title": "Le recto-verso sur tous les copieurs, enfin !",
    "body": "Pourquoi nos copieurs impriment-ils encore en recto simple ? Passons au "
            "**recto-verso** partout.", "themes": ["dechets-papier"],
}


def _moments(rng: random.Random, start: datetime, end: datetime, n: int) -> list[datetime]:
    """n increasing moments between start and end, a little irregular."""
    span = max((end - start).total_seconds(), 3600 * n)
    return [start + timedelta(seconds=span * (i + 1) / (n + 1) + rng.uniform(-0.1, 0.1) *
                              span / (n + 1)) for i in range(n)]


def _backdate(change: StatusChange, idea: Idea, moment: datetime) -> None:
    change.created_at = moment
    values = {"status_changed_at": moment}
    if change.to_status == S.WITHDRAWN:
        values["withdrawn_at"] = moment
    db.session.execute(db.update(Idea).where(Idea.id == idea.id).values(**values))
    db.session.expire(idea)


def walk(rng, idea: Idea, target: IdeaStatus, people: dict[str, User], start: datetime,
         end: datetime, make_service: Callable[[datetime], Service] | None = None,
         merge_into: Idea | None = None) -> None:
    """Move `idea` from submitted to `target` through `move_idea`, each move dated between
    `start` and `end`: the facilitator puts it in review, management decides."""
    path = PATHS[target]
    for step, moment in zip(path, _moments(rng, start, end, len(path)), strict=True):
        actor = people["manager"]
        if step == S.IN_REVIEW or (step == S.DECLINED and idea.status == S.IN_REVIEW
                                   and rng.random() < 0.5) or step == S.MERGED:
            actor = people["facilitator"]
        if step == S.WITHDRAWN:
            actor = idea.author
        service = make_service(moment) if step == S.ADOPTED else None
        change = move_idea(actor, idea, step, answer=rng.choice(ANSWERS.get(step, [""])),
                           service=service, merge_into=merge_into if step == S.MERGED else None)
        _backdate(change, idea, moment)


def _service(people, *, ref, name, type, territory, description, launch: date,
             moment: datetime, ideas=(), origin=None) -> Service:
    territory_id = db.session.scalar(db.select(Territory.id).filter_by(code=territory)) \
        if territory else None
    service = offer_services.create_service(
        people["manager"], name=name, description=description, type=type,
        territory_id=territory_id, launch_date=launch, ideas=list(ideas), stated_origin=origin,
        status=ServiceStatus.LAUNCHED if launch <= date.today() else ServiceStatus.PLANNED)
    service.external_ref, service.created_at = ref, moment
    if ref in RETIRED_SERVICES:
        offer_services.retire_service(service)
        service.retired_at = datetime.combine(RETIRED_SERVICES[ref], time(9))
    return service


def walk_demo_ideas(rng, ideas: list[Idea], targets: dict[str, IdeaStatus],
                    people: dict[str, User], now: datetime) -> None:
    """The demo ideas were imported as posted; the workflow brings each to its state, and
    the adopted ones to their service."""
    forget_memberships()  # facilitator rights granted during this run
    for idea in ideas:
        target = targets[idea.external_ref]
        end = idea.created_at + (now - idea.created_at) * 0.6

        def make_service(moment, idea=idea):
            name, type, territory, description = ADOPTED_IDEA_SERVICES[idea.external_ref]
            return _service(people, ref=f"svc-{idea.external_ref}", name=name, type=type,
                            territory=territory, description=description, ideas=[idea],
                            launch=(moment + timedelta(days=45)).date(), moment=moment)

        walk(rng, idea, target, people, idea.created_at, end, make_service)
        db.session.refresh(idea)  # the caller reads its state (supports depend on it)


def seed_merged_duplicate(rng, people: dict[str, User], author: User, now: datetime,
                          communities: list[tuple]) -> None:
    """An idea posted twice: the facilitator merges the duplicate into the original."""
    item = MERGED_DUPLICATE
    created_at = now - timedelta(days=item["days_ago"])
    report = import_records([Record(1, {
        "title": item["title"], "body": item["body"], "themes": item["themes"],
        "community": communities[item["community"]][0], "author_email": author.email,
        "created_at": created_at.isoformat() + "+00:00", "external_ref": item["ref"]})])
    original = db.session.scalar(db.select(Idea).filter_by(external_ref=item["into"]))
    for idea in report.created:
        walk(rng, idea, S.MERGED, people, created_at, created_at + timedelta(days=9),
             merge_into=original)


def seed_services(rng, people: dict[str, User], agents: list[User], now: datetime,
                  communities: list[tuple], tick=None) -> list[Idea]:
    """The catalogue: services from no idea get their stated origin; the others come from an
    idea posted months before their launch and moved up to "adopted". Returns the new ideas
    (the caller gives them supports)."""
    known = set(db.session.scalars(db.select(Service.external_ref).where(
        Service.external_ref.is_not(None))))
    todo = [item for item in DEMO_SERVICES if item["ref"] not in known]
    if tick is not None:
        tick.update(len(DEMO_SERVICES) - len(todo))  # already there: their steps are done
    posted, records = {}, []
    for line, item in enumerate(todo, start=1):
        if item["idea"] is None:
            continue
        launch = datetime.combine(item["launch"], time(9))
        created_at = min(launch - timedelta(days=rng.randint(150, 320)), now - timedelta(days=5))
        index, title = item["idea"]
        name, _private, _territory, theme_codes, _description = communities[index]
        posted[item["ref"]] = created_at
        records.append(Record(line, {
            "title": title, "body": f"{item['description']}\n\nProposition de la communauté, "
                                    "à étudier avec les équipes concernées.",
            "community": name, "themes": theme_codes[:1],
            "author_email": rng.choice(agents).email, "external_ref": f"{item['ref']}-idee",
            "created_at": created_at.isoformat() + "+00:00"}))
    report = import_records(records)
    if report.errors:  # a mistake in demo_services.py: say which, rather than half a demo
        raise RuntimeError("; ".join(f"demo service {e.line}: {e.message}"
                                     for e in report.errors))
    ideas = {idea.external_ref.removesuffix("-idee"): idea for idea in report.created}
    forget_memberships()
    for item in todo:
        idea = ideas.get(item["ref"])
        fields = {key: item[key] for key in ("ref", "name", "type", "territory", "description")}
        if idea is None:
            moment = datetime.combine(item["launch"], time(9)) - timedelta(days=30)
            _service(people, **fields, launch=item["launch"], moment=min(moment, now),
                     origin=item["origin"])
        else:
            end = min(datetime.combine(item["launch"], time(9)) - timedelta(days=20),
                      now - timedelta(days=1))

            def make_service(moment, idea=idea, fields=fields, item=item):
                return _service(people, **fields, launch=item["launch"], moment=moment,
                                ideas=[idea])

            walk(rng, idea, S.ADOPTED, people, posted[item["ref"]], end, make_service)
        if tick is not None:
            tick.update(1)
    return list(ideas.values())


def seed_interventions(people: dict[str, User], today: date, communities: list[tuple],
                       tick=None) -> int:
    """About 40 a year since 2023, spread over the communities; the same ones on every run
    (one generator per year), so a second run adds nothing."""
    rows = {index: db.session.scalar(db.select(Community).filter_by(
        name=communities[index][0])) for index in INTERVENTION_TOPICS}
    existing = set(db.session.execute(db.select(
        ResearchIntervention.community_id, ResearchIntervention.held_on,
        ResearchIntervention.researcher, ResearchIntervention.topic)).all())
    created = 0
    for year in range(FIRST_INTERVENTION_YEAR, today.year + 1):
        rng = random.Random(f"interventions-{year}")
        for _ in range(rng.randint(*INTERVENTIONS_PER_YEAR)):
            index = rng.choice(list(INTERVENTION_TOPICS))
            held_on = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            researcher, institution = rng.choice(RESEARCHERS)
            topic = rng.choice(INTERVENTION_TOPICS[index])
            kind = rng.choice(list(InterventionFormat))
            community = rows[index]
            key = (community.id, held_on, researcher, topic)
            if held_on > today or key in existing:
                continue
            existing.add(key)
            db.session.add(ResearchIntervention(
                community_id=community.id, researcher=researcher, institution=institution,
                held_on=held_on, format=kind, topic=topic, notes="",
                created_by_id=people["facilitator"].id,
                created_at=datetime.combine(held_on, time(18))))
            created += 1
        if tick is not None:
            tick.update(1)
    db.session.flush()
    return created
