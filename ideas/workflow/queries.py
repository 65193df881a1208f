"""What the idea page shows of the workflow: its history, the services it became, the ideas
merged into it. A fixed number of queries, whatever the history's length."""

from dataclasses import dataclass, field

from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.ideation.queries import visible_ideas_filter
from ideas.offer.models import Service, service_ideas
from ideas.workflow.models import StatusChange
from ideas.workflow.services import history


@dataclass
class IdeaWorkflow:
    changes: list[StatusChange]
    services: list[Service]  # the services the idea became (adopted), linked in the catalogue
    services_by_id: dict[int, Service] = field(default_factory=dict)
    ideas_by_id: dict[int, Idea] = field(default_factory=dict)  # merge targets named in changes
    merged_from: list[Idea] = field(default_factory=list)  # visible ideas merged into this one
    move_form: object = None  # the view adds it when the user may move the idea


def workflow_of(user, idea: Idea) -> IdeaWorkflow:
    changes = history(idea)
    services = list(db.session.scalars(
        db.select(Service).join(service_ideas, service_ideas.c.service_id == Service.id)
        .where(service_ideas.c.idea_id == idea.id).order_by(Service.launch_date, Service.id)))
    by_id = {service.id: service for service in services}
    missing = {c.service_id for c in changes if c.service_id} - by_id.keys()
    if missing:
        by_id.update({s.id: s for s in db.session.scalars(
            db.select(Service).where(Service.id.in_(missing)))})
    target_ids = {c.merged_into_id for c in changes if c.merged_into_id}
    ideas_by_id = {i.id: i for i in db.session.scalars(
        db.select(Idea).where(Idea.id.in_(target_ids), visible_ideas_filter(user)))
    } if target_ids else {}
    merged_from = list(db.session.scalars(
        db.select(Idea).where(Idea.merged_into_id == idea.id, visible_ideas_filter(user))
        .order_by(Idea.status_changed_at, Idea.id)))
    return IdeaWorkflow(changes, services, by_id, ideas_by_id, merged_from)
