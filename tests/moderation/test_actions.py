"""Decisions on items: hide, restore, dismiss, lock, pin, merge, title, bulk; each logged once,
with conditional updates so a second moderator acting on the same item gets a conflict."""

import pytest

from ideas.comments.services import delete_comment
from ideas.extensions import db
from ideas.ideation.models import IdeaRevision, IdeaStatus
from ideas.moderation import actions, services
from ideas.moderation.models import ActionKind, ModerationAction, Report, Resolution
from ideas.votes.services import cast_vote
from tests.factories import IdeaFactory, UserFactory
from tests.helpers import count
from tests.moderation.conftest import reporters


def _log() -> list[ModerationAction]:
    return list(db.session.scalars(db.select(ModerationAction).order_by(ModerationAction.id)))


def test_hiding_a_reported_comment_closes_its_reports_and_is_logged(comment, reporter,
                                                                     facilitator, idea):
    services.report_item(reporter, comment, "disrespectful")
    db.session.commit()
    assert idea.comment_count == 1
    services.hide_item(facilitator, comment, "Propos blessants", from_queue=True)
    db.session.commit()
    assert comment.hidden_at is not None and comment.hidden_by_id == facilitator.id
    assert comment.hidden_reason == "Propos blessants"
    assert idea.comment_count == 0  # a hidden comment leaves the count shown to everyone
    report = db.session.scalar(db.select(Report))
    assert (report.resolution, report.resolved_by_id) == (Resolution.HIDDEN, facilitator.id)
    [entry] = _log()
    assert (entry.action, entry.actor_id, entry.comment_id, entry.idea_id, entry.reason,
            entry.report_count, entry.target_user_id) == (
        ActionKind.HIDE, facilitator.id, comment.id, idea.id, "Propos blessants", 1,
        comment.author_id)
    assert entry.summary.startswith("Un commentaire hors de propos")


def test_a_second_moderator_on_the_same_report_gets_a_conflict_and_no_log(
        comment, reporter, facilitator, admin):
    services.report_item(reporter, comment, "spam")
    db.session.commit()
    services.hide_item(facilitator, comment, "Spam", from_queue=True)
    db.session.commit()
    for act in (lambda: services.hide_item(admin, comment, "Spam aussi", from_queue=True),
                lambda: services.dismiss_reports(admin, comment),
                lambda: services.restore_item(admin, comment, from_queue=True)):
        with pytest.raises(services.ModerationConflict, match="viennent"):
            act()
        db.session.rollback()
    assert len(_log()) == 1


def test_hiding_twice_outside_the_queue_is_a_conflict(idea, facilitator, admin):
    services.hide_item(facilitator, idea, "Hors charte")
    db.session.commit()
    with pytest.raises(services.ModerationConflict, match="déjà masqué"):
        services.hide_item(admin, idea, "Encore")
    db.session.rollback()
    assert [e.action for e in _log()] == [ActionKind.HIDE]


def test_restore_shows_it_again_and_counts_it_again(comment, facilitator, idea):
    services.hide_item(facilitator, comment, "Hors sujet")
    db.session.commit()
    services.restore_item(facilitator, comment)
    db.session.commit()
    assert comment.hidden_at is None and comment.hidden_reason is None
    assert idea.comment_count == 1
    assert [(e.action, e.before) for e in _log()] == [
        (ActionKind.HIDE, ""), (ActionKind.RESTORE, "Hors sujet")]
    with pytest.raises(services.ModerationConflict, match="pas masqué"):
        services.restore_item(facilitator, comment)


def test_deleting_a_hidden_comment_does_not_count_it_twice(comment, commenter, facilitator,
                                                           idea):
    services.hide_item(facilitator, comment, "Hors sujet")
    db.session.commit()
    delete_comment(commenter, comment)
    db.session.commit()
    assert idea.comment_count == 0
    with pytest.raises(services.ModerationConflict, match="supprimé"):
        services.hide_item(facilitator, comment, "Encore")


def test_a_deleted_comment_cannot_be_hidden_but_its_reports_can_be_dismissed(
        comment, commenter, reporter, facilitator):
    services.report_item(reporter, comment, "spam")
    delete_comment(commenter, comment)
    db.session.commit()
    with pytest.raises(services.ModerationConflict, match="supprimé par son auteur"):
        services.hide_item(facilitator, comment, "Spam")
    db.session.rollback()
    services.dismiss_reports(facilitator, comment)
    db.session.commit()
    assert services.open_report_count(comment) == 0


def test_dismissing_lifts_an_automatic_hiding_only(idea, facilitator):
    for user in reporters(3):
        services.report_item(user, idea, "spam")
    db.session.commit()
    assert idea.hidden_at is not None
    services.dismiss_reports(facilitator, idea)
    db.session.commit()
    assert idea.hidden_at is None
    assert [e.action for e in _log()] == [ActionKind.AUTO_HIDE, ActionKind.DISMISS]
    with pytest.raises(services.ModerationConflict):
        services.dismiss_reports(facilitator, idea)


def test_confirming_an_automatic_hiding_puts_the_moderators_reason(idea, facilitator):
    for user in reporters(3):
        services.report_item(user, idea, "spam")
    db.session.commit()
    services.hide_item(facilitator, idea, "Publicité", from_queue=True)
    db.session.commit()
    assert (idea.hidden_by_id, idea.hidden_reason) == (facilitator.id, "Publicité")
    assert services.open_report_count(idea) == 0


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_hiding_needs_a_reason(idea, facilitator, reason):
    with pytest.raises(services.ModerationRefused) as refused:
        services.hide_item(facilitator, idea, reason)
    assert (refused.value.status, refused.value.field) == (422, "reason")


def test_rights(idea, agent, manager, other_facilitator, private_community):
    for user in (agent, manager, other_facilitator):
        with pytest.raises(services.ModerationRefused) as refused:
            services.hide_item(user, idea, "Non")
        assert refused.value.status == 403
        with pytest.raises(services.ModerationRefused):
            actions.lock_idea(user, idea)
    secret = IdeaFactory(community=private_community)
    with pytest.raises(services.ModerationRefused) as refused:
        services.hide_item(other_facilitator, secret, "Non")
    assert refused.value.status == 404
    assert count(ModerationAction) == 0


def test_lock_stops_new_comments_and_supports_but_keeps_the_old(idea, comment, facilitator,
                                                                reporter):
    from ideas.comments.services import CommentRefused, post_comment
    from ideas.errors import DomainError

    supporter = UserFactory()
    cast_vote(supporter, idea)
    actions.lock_idea(facilitator, idea)
    db.session.commit()
    assert idea.is_locked and idea.vote_count == 1 and idea.comment_count == 1
    with pytest.raises(CommentRefused, match="verrouillée"):
        post_comment(reporter, idea, "Encore un mot")
    with pytest.raises(DomainError, match="verrouillée"):
        cast_vote(reporter, idea)
    with pytest.raises(services.ModerationConflict, match="déjà verrouillée"):
        actions.lock_idea(facilitator, idea)
    db.session.rollback()
    actions.unlock_idea(facilitator, idea)
    db.session.commit()
    post_comment(reporter, idea, "Encore un mot")
    assert [e.action for e in _log()] == [ActionKind.LOCK, ActionKind.UNLOCK]


def test_pinned_ideas_come_first_in_their_community(open_community, facilitator, agent):
    from ideas.ideation.queries import IdeaFilters, search_ideas

    old = IdeaFactory(community=open_community, title="La plus ancienne")
    IdeaFactory(community=open_community, title="La plus récente")
    actions.pin_idea(facilitator, old)
    db.session.commit()
    titles = [i.title for i in search_ideas(agent, IdeaFilters(), 1, 20, open_community).items]
    assert titles[0] == "La plus ancienne"
    everywhere = [i.title for i in search_ideas(agent, IdeaFilters(), 1, 20).items]
    assert everywhere[0] == "La plus récente"  # pinned in its community, not everywhere
    actions.unpin_idea(facilitator, old)
    db.session.commit()
    titles = [i.title for i in search_ideas(agent, IdeaFilters(), 1, 20, open_community).items]
    assert titles[0] == "La plus récente"


def test_merge_goes_through_the_workflow(idea, open_community, facilitator, reporter):
    keeper = IdeaFactory(community=open_community, title="L'idée à garder")
    supporter = UserFactory()
    cast_vote(supporter, idea)
    services.report_item(reporter, idea, "duplicate")
    db.session.commit()
    actions.merge_idea(facilitator, idea, keeper)
    db.session.commit()
    assert idea.status == IdeaStatus.MERGED and idea.merged_into_id == keeper.id
    assert keeper.vote_count == 1
    assert services.open_report_count(idea) == 0
    [entry] = _log()
    assert entry.action == ActionKind.MERGE and entry.after == f"#{keeper.id} L'idée à garder"
    assert entry.report_count == 1


def test_merge_refusals(idea, facilitator, private_community):
    with pytest.raises(services.ModerationRefused) as refused:
        actions.merge_idea(facilitator, idea, None)
    assert refused.value.status == 422
    from ideas.errors import DomainError

    with pytest.raises(DomainError, match="elle-même"):
        actions.merge_idea(facilitator, idea, idea)


def test_title_edit_is_traced(idea, facilitator):
    actions.edit_title(facilitator, idea, "  Covoiturage   entre ateliers du 86 ",
                       expected="Covoiturage entre ateliers", reason="Plus précis")
    db.session.commit()
    assert idea.title == "Covoiturage entre ateliers du 86"
    [entry] = _log()
    assert (entry.before, entry.after, entry.reason) == (
        "Covoiturage entre ateliers", "Covoiturage entre ateliers du 86", "Plus précis")
    revision = db.session.scalar(db.select(IdeaRevision))
    assert (revision.title, revision.editor_id) == ("Covoiturage entre ateliers", facilitator.id)


def test_title_edit_refusals(idea, facilitator):
    for title in ("", "abc", "x" * 151, "Covoiturage entre ateliers"):
        with pytest.raises(services.ModerationRefused) as refused:
            actions.edit_title(facilitator, idea, title)
        assert refused.value.field == "title"
    with pytest.raises(services.ModerationConflict, match="entre-temps"):
        actions.edit_title(facilitator, idea, "Un autre titre", expected="Titre vu avant")
    assert count(ModerationAction) == 0


def test_bulk_hides_several_and_reports_what_someone_else_handled(
        open_community, facilitator, admin, reporter):
    first, second, third = (IdeaFactory(community=open_community) for _ in range(3))
    for item in (first, second, third):
        services.report_item(reporter, item, "spam")
    db.session.commit()
    services.dismiss_reports(admin, second)  # another moderator, just before
    db.session.commit()
    outcome = actions.bulk_moderate(facilitator, [f"i{first.id}", f"i{second.id}",
                                                  f"i{third.id}", "x1", "i999999"],
                                    "hide", "Publicité")
    db.session.commit()
    assert outcome.done == 2 and len(outcome.refused) == 2
    assert first.hidden_at and third.hidden_at and second.hidden_at is None
    with pytest.raises(services.ModerationRefused) as refused:
        actions.bulk_moderate(facilitator, [f"i{first.id}"], "hide", "")
    assert refused.value.field == "reason"
    with pytest.raises(services.ModerationRefused):
        actions.bulk_moderate(facilitator, [], "dismiss")
    with pytest.raises(services.ModerationRefused):
        actions.bulk_moderate(facilitator, [f"i{first.id}"], "delete")


def test_admins_hide_everything_an_agent_wrote(idea, comment, commenter, admin, facilitator,
                                               open_community):
    second = IdeaFactory(community=open_community, author=commenter)
    hidden = actions.hide_all_content(admin, commenter, "Compte de spam")
    db.session.commit()
    assert hidden == 2 and comment.hidden_at and second.hidden_at and idea.hidden_at is None
    assert {e.action for e in _log()} == {ActionKind.HIDE}
    with pytest.raises(services.ModerationRefused):
        actions.hide_all_content(facilitator, commenter, "Non")
