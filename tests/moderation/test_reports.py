"""Reports: one per agent per item, reasons checked, refusals explained, automatic hiding at the
configured count."""

import pytest

from ideas.extensions import db
from ideas.moderation import services
from ideas.moderation.models import ActionKind, ModerationAction, Report, ReportReason
from ideas.moderation.suspension_services import suspend_user
from tests.helpers import count
from tests.moderation.conftest import reporters


def test_an_agent_reports_a_comment_once(comment, reporter, open_community):
    report = services.report_item(reporter, comment, "disrespectful")
    db.session.commit()
    assert (report.item_key, report.comment_id, report.idea_id) == (
        f"c{comment.id}", comment.id, comment.idea_id)
    assert report.community_id == open_community.id and report.is_open
    assert services.has_reported(reporter, comment)
    with pytest.raises(services.ModerationConflict, match="déjà signalé"):
        services.report_item(reporter, comment, "spam")
    db.session.rollback()
    assert count(Report) == 1


def test_the_unique_constraint_holds_without_the_service(comment, reporter):
    from sqlalchemy.exc import IntegrityError

    for _ in range(2):
        db.session.add(Report(item_key=f"c{comment.id}", idea_id=comment.idea_id,
                              comment_id=comment.id, community_id=1, reporter_id=reporter.id,
                              reason=ReportReason.SPAM))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_reporting_ones_own_item_is_refused(idea, author, comment, commenter):
    with pytest.raises(services.ModerationRefused, match="propre contribution") as refused:
        services.report_item(author, idea, "spam")
    assert refused.value.status == 403
    with pytest.raises(services.ModerationRefused, match="propre contribution"):
        services.report_item(commenter, comment, "spam")
    assert count(Report) == 0


@pytest.mark.parametrize(("reason", "details", "field"), [
    ("", "", "reason"), ("nimporte", "", "reason"), ("other", "   ", "details"),
    ("spam", "x" * 1001, "details")])
def test_bad_reasons_are_refused_on_their_field(idea, reporter, reason, details, field):
    with pytest.raises(services.ModerationRefused) as refused:
        services.report_item(reporter, idea, reason, details)
    assert (refused.value.status, refused.value.field) == (422, field)


def test_other_needs_details_and_keeps_them(idea, reporter):
    report = services.report_item(reporter, idea, "other", "  Contient un numéro de téléphone ")
    assert report.details == "Contient un numéro de téléphone"


def test_a_suspended_agent_cannot_report(idea, reporter, admin):
    suspend_user(admin, reporter, "Propos répétés", None)
    db.session.commit()
    with pytest.raises(services.ModerationRefused, match="suspendu"):
        services.report_item(reporter, idea, "spam")


def test_a_private_idea_cannot_be_reported_by_an_outsider(private_community, reporter):
    from tests.factories import IdeaFactory

    secret = IdeaFactory(community=private_community)
    with pytest.raises(services.ModerationRefused) as refused:
        services.report_item(reporter, secret, "spam")
    assert refused.value.status == 404


def test_hidden_or_deleted_items_are_not_reported(comment, commenter, reporter, facilitator):
    from ideas.comments.services import delete_comment

    services.hide_item(facilitator, comment, "Hors sujet")
    db.session.commit()
    with pytest.raises(services.ModerationRefused):
        services.report_item(reporter, comment, "spam")
    services.restore_item(facilitator, comment)
    delete_comment(commenter, comment)
    db.session.commit()
    with pytest.raises(services.ModerationRefused, match="supprimé"):
        services.report_item(reporter, comment, "spam")


def test_the_third_report_hides_the_item_until_a_facilitator_decides(app, idea, facilitator):
    first, second, third = reporters(3)
    services.report_item(first, idea, "spam")
    services.report_item(second, idea, "off_topic")
    db.session.commit()
    assert idea.hidden_at is None
    services.report_item(third, idea, "spam")
    db.session.commit()
    assert idea.hidden_at is not None and idea.hidden_by_id is None
    assert "automatiquement" in idea.hidden_reason
    auto = db.session.scalar(db.select(ModerationAction))
    assert (auto.action, auto.actor_id, auto.report_count) == (ActionKind.AUTO_HIDE, None, 3)
    # The reports stay open: the facilitator still has to decide.
    assert services.open_report_count(idea) == 3


def test_the_threshold_is_configurable_and_zero_turns_it_off(app, idea):
    saved = app.config["MODERATION_AUTO_HIDE_REPORTS"]
    try:
        app.config["MODERATION_AUTO_HIDE_REPORTS"] = 0
        for user in reporters(4):
            services.report_item(user, idea, "spam")
        db.session.commit()
        assert idea.hidden_at is None
        app.config["MODERATION_AUTO_HIDE_REPORTS"] = 1
        services.report_item(reporters(1)[0], idea, "spam")
        db.session.commit()
        assert idea.hidden_at is not None
    finally:
        app.config["MODERATION_AUTO_HIDE_REPORTS"] = saved
