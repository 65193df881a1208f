"""Moving ideas through the workflow. Adds and flushes; the view commits.

Every move is a conditional UPDATE on the idea's current status, so two managers acting at
once cannot both succeed: the second gets a clear conflict instead of a lost update."""

from flask_babel import lazy_gettext as _l

from ideas.errors import DomainError
from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation.labels import status_label
from ideas.ideation.models import Idea, IdeaStatus
from ideas.markdown import render_markdown
from ideas.offer.models import Service, service_ideas
from ideas.utils import clean_text, utcnow
from ideas.votes.models import Vote
from ideas.workflow import transitions
from ideas.workflow.models import StatusChange
from ideas.workflow.permissions import actor_roles
from ideas.workflow.signals import idea_moved

ANSWER_MAX = 10_000


class WorkflowConflict(DomainError):
    """The idea changed state meanwhile (another manager, another tab)."""


def move_idea(user, idea: Idea, target: IdeaStatus, *, answer: str = "",
              service: Service | None = None, merge_into: Idea | None = None,
              expected: IdeaStatus | None = None) -> StatusChange:
    """Move `idea` to `target`, recording who, when, from, to and the official answer.

    `expected` is the state the user saw; when given and stale, the move is refused."""
    source = idea.status
    if expected is not None and expected != source:
        raise WorkflowConflict(_l("L'idée a changé de statut entre-temps. Rechargez la page."))
    transition = transitions.find(source, target)
    if transition is None:
        raise DomainError(_l("Ce changement de statut n'est pas possible depuis « %(status)s ».",
                             status=status_label(source)), field="status")
    if not transition.actors & actor_roles(user, idea):
        raise DomainError(_l("Vous n'avez pas le droit d'effectuer ce changement de statut."),
                          field="status")
    answer = clean_text(answer)
    if target in transitions.ANSWER_REQUIRED and not answer:
        raise DomainError(_l("Une réponse officielle est obligatoire pour ce statut."),
                          field="answer")
    if len(answer) > ANSWER_MAX:
        raise DomainError(_l("La réponse officielle ne doit pas dépasser %(n)d caractères.",
                             n=ANSWER_MAX), field="answer")
    if target == IdeaStatus.ADOPTED and service is None:
        raise DomainError(_l("Indiquez le service de l'offre issu de cette idée."),
                          field="service")
    if target == IdeaStatus.MERGED:
        _check_merge_target(idea, merge_into)

    now = utcnow()
    values = {"status": target, "status_changed_at": now}
    if target == IdeaStatus.WITHDRAWN:
        values["withdrawn_at"] = now
    if target == IdeaStatus.MERGED:
        values["merged_into_id"] = merge_into.id
    moved = db.session.execute(db.update(Idea).where(Idea.id == idea.id, Idea.status == source)
                               .values(**values)).rowcount
    if moved != 1:
        raise WorkflowConflict(_l("L'idée a changé de statut entre-temps. Rechargez la page."))
    db.session.expire(idea)

    if target == IdeaStatus.ADOPTED:
        _link_service(service, idea)
    change = StatusChange(idea_id=idea.id, actor_id=getattr(user, "id", None),
                          from_status=source, to_status=target, answer=answer,
                          answer_html=render_markdown(answer) if answer else "",
                          service_id=service.id if service else None,
                          merged_into_id=merge_into.id if merge_into else None, created_at=now)
    db.session.add(change)
    db.session.flush()
    # Before a merge moves them: the merged idea's followers are told about it.
    idea_moved.send(change, idea=idea, actor=user)
    if target == IdeaStatus.MERGED:
        _move_supports_and_followers(idea, merge_into)
        db.session.flush()
    return change


def _check_merge_target(idea: Idea, target: Idea | None) -> None:
    if target is None:
        raise DomainError(_l("Indiquez l'idée dans laquelle fusionner celle-ci."),
                          field="merge_into")
    if target.id == idea.id:
        raise DomainError(_l("Une idée ne peut pas être fusionnée avec elle-même."),
                          field="merge_into")
    if target.status in (IdeaStatus.MERGED, IdeaStatus.WITHDRAWN):
        raise DomainError(_l("L'idée cible est elle-même fusionnée ou retirée."),
                          field="merge_into")
    if target.community.is_private and target.community_id != idea.community_id:
        # Moving supporters into a private community would expose them to its members.
        raise DomainError(_l("On ne peut fusionner dans une idée d'une autre communauté privée."),
                          field="merge_into")


def _link_service(service: Service, idea: Idea) -> None:
    exists = db.session.scalar(db.select(service_ideas.c.idea_id).where(
        service_ideas.c.service_id == service.id, service_ideas.c.idea_id == idea.id))
    if not exists:
        db.session.execute(service_ideas.insert().values(service_id=service.id, idea_id=idea.id))
    db.session.expire(service, ["ideas"])


def _move_supports_and_followers(source: Idea, target: Idea) -> None:
    """Supports and follows move to the target once each: a supporter of both counts once,
    and the target's author does not start supporting their own idea."""
    voters = db.select(Vote.user_id).where(Vote.idea_id == target.id)
    moved_votes = db.session.execute(
        db.update(Vote).where(Vote.idea_id == source.id, Vote.user_id.not_in(voters),
                              Vote.user_id != db.func.coalesce(target.author_id, 0))
        .values(idea_id=target.id)).rowcount
    db.session.execute(db.delete(Vote).where(Vote.idea_id == source.id))
    followers = db.select(IdeaFollow.user_id).where(IdeaFollow.idea_id == target.id)
    moved_follows = db.session.execute(
        db.update(IdeaFollow).where(IdeaFollow.idea_id == source.id,
                                    IdeaFollow.user_id.not_in(followers))
        .values(idea_id=target.id)).rowcount
    db.session.execute(db.delete(IdeaFollow).where(IdeaFollow.idea_id == source.id))
    db.session.execute(db.update(Idea).where(Idea.id == target.id).values(
        vote_count=Idea.vote_count + moved_votes,
        follower_count=Idea.follower_count + moved_follows))
    db.session.execute(db.update(Idea).where(Idea.id == source.id).values(
        vote_count=0, follower_count=0))
    db.session.expire(target)
    db.session.expire(source)


def history(idea: Idea) -> list[StatusChange]:
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(
        db.select(StatusChange).where(StatusChange.idea_id == idea.id)
        .options(selectinload(StatusChange.actor)).order_by(StatusChange.created_at,
                                                            StatusChange.id)))


