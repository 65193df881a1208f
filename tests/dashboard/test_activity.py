"""Funnel, adoption delays and community vitality on fixtures with known answers."""

from datetime import date, datetime, timedelta

import pytest

from ideas.comments.models import Comment
from ideas.dashboard import activity
from ideas.dashboard.indicators import Period
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus as S
from ideas.votes.models import Vote
from ideas.workflow.models import StatusChange
from tests.factories import CommunityFactory, IdeaFactory, UserFactory

YEAR = Period.year(2025)


def _idea(created_at, community=None, author=None, moves=()):
    """An idea posted at `created_at` (naive UTC), then moved: [(status, when), …]."""
    idea = IdeaFactory(created_at=created_at, community=community or CommunityFactory(),
                       author=author or UserFactory())
    source = S.SUBMITTED
    for target, when in moves:
        db.session.add(StatusChange(idea_id=idea.id, from_status=source, to_status=target,
                                    created_at=when))
        source = target
    idea.status = source
    db.session.commit()
    return idea


def test_funnel_counts_ideas_that_reached_each_stage_in_the_period(db):
    community = CommunityFactory()

    def idea(created, moves):
        return _idea(created, community, moves=moves)

    idea(datetime(2025, 2, 1), [(S.IN_REVIEW, datetime(2025, 3, 1)),
                                (S.SELECTED, datetime(2025, 4, 1)),
                                (S.PILOTING, datetime(2025, 5, 1)),
                                (S.ADOPTED, datetime(2025, 6, 1))])
    # Adopted straight from `selected`: it went past `piloting`, so it counts there too.
    idea(datetime(2025, 2, 2), [(S.IN_REVIEW, datetime(2025, 3, 1)),
                                (S.SELECTED, datetime(2025, 4, 1)),
                                (S.ADOPTED, datetime(2025, 5, 1))])
    idea(datetime(2025, 3, 1), [(S.IN_REVIEW, datetime(2025, 4, 1)),
                                (S.DECLINED, datetime(2025, 4, 2))])
    idea(datetime(2025, 5, 1), [])
    # Posted in 2024, selected in 2025: in the 2025 funnel from `in_review` on, not `submitted`.
    idea(datetime(2024, 11, 1), [(S.IN_REVIEW, datetime(2024, 12, 1)),
                                 (S.SELECTED, datetime(2025, 1, 10))])
    # 31 December 23:30 UTC is 1 January 00:30 in Paris: a 2025 move.
    idea(datetime(2024, 10, 1), [(S.IN_REVIEW, datetime(2024, 12, 31, 23, 30))])
    # 31 December 2025 23:30 UTC is 2026 in Paris: not this year.
    idea(datetime(2025, 12, 31, 23, 30), [])

    stages = activity.funnel(YEAR)
    assert [(stage.status, stage.count) for stage in stages] == [
        (S.SUBMITTED, 4), (S.IN_REVIEW, 5), (S.SELECTED, 3), (S.PILOTING, 2), (S.ADOPTED, 2)]
    assert stages[0].conversion is None
    assert [round(stage.conversion, 3) for stage in stages[1:]] == [1.25, 0.6, 0.667, 1.0]
    assert [stage.count for stage in activity.funnel(Period.year(2024))] == [2, 1, 0, 0, 0]


def test_funnel_of_an_empty_period_has_no_conversion(db):
    stages = activity.funnel(YEAR)
    assert [stage.count for stage in stages] == [0, 0, 0, 0, 0]
    assert all(stage.conversion is None for stage in stages)


def test_reached_in_selects_the_ideas_behind_each_stage(db):
    community = CommunityFactory()
    adopted = _idea(datetime(2024, 6, 1), community, moves=[
        (S.IN_REVIEW, datetime(2025, 1, 5)), (S.SELECTED, datetime(2025, 2, 5)),
        (S.ADOPTED, datetime(2025, 3, 5))])
    _idea(datetime(2025, 6, 1), community)
    piloting = db.session.scalars(db.select(activity.Idea.id).where(
        activity.reached_in(YEAR, S.PILOTING))).all()
    assert piloting == [adopted.id]


@pytest.mark.parametrize(("values", "fraction", "expected"), [
    ([], 0.5, None), ([7.0], 0.8, 7.0), ([1, 2, 3, 4], 0.5, 2.5),
    ([50, 10, 40, 20, 30], 0.5, 30), ([50, 10, 40, 20, 30], 0.8, 42)])
def test_percentile_interpolates_between_ranks(values, fraction, expected):
    assert activity.percentile(values, fraction) == expected


def test_adoption_delays_median_and_80th_percentile_in_days(db):
    community = CommunityFactory()
    for days in (10, 20, 30, 40, 50):
        posted = datetime(2025, 1, 1, 9)
        _idea(posted, community, moves=[(S.IN_REVIEW, posted + timedelta(days=1)),
                                        (S.SELECTED, posted + timedelta(days=2)),
                                        (S.ADOPTED, posted + timedelta(days=days))])
    # Adopted in 2024: not in 2025's delays.
    _idea(datetime(2024, 1, 1), community, moves=[(S.IN_REVIEW, datetime(2024, 1, 2)),
                                                   (S.SELECTED, datetime(2024, 1, 3)),
                                                   (S.ADOPTED, datetime(2024, 3, 1))])
    delays = activity.adoption_delays(YEAR)
    assert (delays.count, delays.median, delays.p80) == (5, 30, 42)
    assert activity.adoption_delays(Period.year(2024)).count == 1
    assert activity.adoption_delays(Period.year(2023)) == activity.Delays(0, None, None)


def test_vitality_per_community(db):
    lively = CommunityFactory(name="Vivante")
    CommunityFactory(name="Calme")
    CommunityFactory(name="Fermée sans activité", archived_at=datetime(2024, 1, 1))
    closed = CommunityFactory(name="Fermée en cours d'année", archived_at=datetime(2025, 6, 1))
    u1, u2, u3, u4, u5, u6 = (UserFactory() for _ in range(6))
    _idea(datetime(2025, 3, 1), lively, u1)
    recent = _idea(datetime(2025, 4, 1), lively, u2)
    old = _idea(datetime(2024, 5, 1), lively, u3)
    _idea(datetime(2025, 2, 1), closed, u6)
    db.session.add_all([
        Comment(idea_id=old.id, author_id=u3.id, body="…", created_at=datetime(2025, 5, 1)),
        Comment(idea_id=old.id, author_id=u4.id, body="…", created_at=datetime(2025, 5, 2),
                deleted_at=datetime(2025, 5, 3)),
        Comment(idea_id=old.id, author_id=u1.id, body="…", created_at=datetime(2024, 5, 2)),
        Vote(idea_id=recent.id, user_id=u1.id, created_at=datetime(2025, 4, 2)),
        Vote(idea_id=recent.id, user_id=u5.id, created_at=datetime(2025, 4, 3)),
        Vote(idea_id=old.id, user_id=u6.id, created_at=datetime(2024, 6, 1)),
    ])
    db.session.commit()
    rows = {row.community_name: (row.ideas, row.comments, row.supports, row.active_agents)
            for row in activity.vitality(YEAR)}
    assert rows == {"Vivante": (2, 1, 2, 4), "Fermée en cours d'année": (1, 0, 0, 1),
                    "Calme": (0, 0, 0, 0)}
    assert [row.community_name for row in activity.vitality(YEAR)] == [
        "Vivante", "Fermée en cours d'année", "Calme"]  # most active agents first
    assert {row.community_name: row.ideas for row in activity.vitality(
        Period(date(2024, 1, 1), date(2024, 12, 31)))} == {"Vivante": 1, "Calme": 0}


def test_content_hidden_by_the_moderation_counts_nowhere(db):
    community = CommunityFactory(name="Modérée")
    author, supporter = UserFactory(), UserFactory()
    hidden = _idea(datetime(2025, 3, 1), community, author, moves=[
        (S.IN_REVIEW, datetime(2025, 4, 1)), (S.SELECTED, datetime(2025, 4, 2)),
        (S.ADOPTED, datetime(2025, 5, 1))])
    shown = _idea(datetime(2025, 3, 2), community, author)
    hidden.hidden_at = datetime(2025, 6, 1)
    db.session.add_all([
        Vote(idea_id=hidden.id, user_id=supporter.id, created_at=datetime(2025, 3, 3)),
        Comment(idea_id=hidden.id, author_id=supporter.id, body="…",
                created_at=datetime(2025, 3, 4)),
        Comment(idea_id=shown.id, author_id=supporter.id, body="…",
                created_at=datetime(2025, 3, 5), hidden_at=datetime(2025, 3, 6)),
        Comment(idea_id=shown.id, author_id=supporter.id, body="…",
                created_at=datetime(2025, 3, 7)),
    ])
    db.session.commit()
    assert [stage.count for stage in activity.funnel(YEAR)] == [1, 0, 0, 0, 0]
    assert activity.adoption_delays(YEAR).count == 0
    (row,) = activity.vitality(YEAR)
    assert (row.ideas, row.comments, row.supports, row.active_agents) == (1, 1, 0, 2)
