"""Comment services without HTTP: post, reply, edit, soft delete, and the counter they keep."""

import pytest

from ideas.comments import services
from ideas.comments.models import COMMENT_MAX, Comment
from ideas.comments.queries import thread_page
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from tests.comments.checks import HOSTILE, active_html, comment_count_is_exact, stored_count
from tests.factories import CommunityFactory, IdeaFactory, MembershipFactory, UserFactory


def _post(user, idea, body="Bonne idée !", parent=None):
    comment = services.post_comment(user, idea, body, parent=parent)
    db.session.commit()
    return comment


def test_post_renders_markdown_and_counts(agent, idea):
    comment = _post(agent, idea, "  Je **soutiens** : moins de papier.  ")
    assert comment.body == "Je **soutiens** : moins de papier."
    assert comment.body_html == "<p>Je <strong>soutiens</strong> : moins de papier.</p>\n"
    assert comment.author_id == agent.id and comment.parent_id is None
    assert stored_count(idea) == 1
    assert comment_count_is_exact(idea)


def test_reply_to_a_reply_attaches_to_the_top_level_comment(agent, other_agent, idea):
    top = _post(agent, idea, "Premier")
    reply = _post(other_agent, idea, "Réponse", parent=top)
    answer_to_reply = _post(agent, idea, "Réponse à la réponse", parent=reply)
    assert reply.parent_id == top.id
    assert answer_to_reply.parent_id == top.id
    assert stored_count(idea) == 3 and comment_count_is_exact(idea)


def test_thread_is_oldest_first_with_replies_under_their_parent(agent, other_agent, idea):
    first = _post(agent, idea, "Un")
    second = _post(other_agent, idea, "Deux")
    reply_to_first = _post(other_agent, idea, "Réponse à un", parent=first)
    later_reply = _post(agent, idea, "Encore", parent=first)
    thread = thread_page(idea).threads
    assert [(c.id, [r.id for r in replies]) for c, replies in thread] == [
        (first.id, [reply_to_first.id, later_reply.id]), (second.id, [])]


def test_a_page_of_the_thread_is_two_queries_with_authors(app, agent, other_agent, idea):
    for n in range(5):
        top = _post(agent if n % 2 else other_agent, idea, f"Commentaire {n}")
        _post(agent, idea, f"Réponse {n}", parent=top)
    db.session.expire_all()
    assert idea.id  # loads the idea again before counting: the page has it already
    statements = []

    def count_statement(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event
    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        thread = thread_page(idea).threads
        names = [c.author.display_name for c, replies in thread for c in [c, *replies]]
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(names) == 10
    assert len(statements) == 2, statements  # the page's top-level comments, their replies


@pytest.mark.parametrize("body", ["", "   ", "\n\t", "\x00"])
def test_empty_body_is_refused(agent, idea, body):
    with pytest.raises(DomainError) as refused:
        services.post_comment(agent, idea, body)
    assert refused.value.field == "body"
    assert str(refused.value.message) == "Écrivez votre commentaire avant de l'envoyer."
    db.session.rollback()
    assert stored_count(idea) == 0 and comment_count_is_exact(idea)


def test_body_length_limit(agent, idea):
    assert _post(agent, idea, "é" * COMMENT_MAX).body == "é" * COMMENT_MAX
    with pytest.raises(DomainError) as refused:
        services.post_comment(agent, idea, "é" * (COMMENT_MAX + 1))
    assert str(refused.value.message) == "Le commentaire ne doit pas dépasser 10 000 caractères."
    db.session.rollback()
    assert stored_count(idea) == 1 and comment_count_is_exact(idea)


def test_windows_line_breaks_count_once(agent, idea):
    body = ("ligne\r\n" * (COMMENT_MAX // 6))[:COMMENT_MAX + 500]
    assert len(body.replace("\r\n", "\n").strip()) <= COMMENT_MAX
    assert "\r" not in _post(agent, idea, body).body


@pytest.mark.parametrize("status", [IdeaStatus.WITHDRAWN, IdeaStatus.MERGED])
def test_no_comment_on_a_closed_idea(agent, open_community, status):
    idea = IdeaFactory(community=open_community, status=status)
    with pytest.raises(services.CommentRefused) as refused:
        services.post_comment(agent, idea, "Trop tard ?")
    assert refused.value.status == 409
    assert "n'accepte plus de commentaires" in str(refused.value.message)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 0


def test_no_comment_in_an_archived_community(agent):
    from ideas.utils import utcnow
    community = CommunityFactory(archived_at=utcnow())
    idea = IdeaFactory(community=community)
    with pytest.raises(services.CommentRefused) as refused:
        services.post_comment(agent, idea, "Encore là ?")
    assert refused.value.status == 409
    assert "archivée" in str(refused.value.message)


def test_private_idea_hidden_from_non_members_and_closed_to_managers(agent, manager,
                                                                    private_idea):
    with pytest.raises(services.CommentRefused) as hidden:
        services.post_comment(agent, private_idea, "Je passe")
    assert hidden.value.status == 404
    # Management reads private communities but only members discuss there.
    with pytest.raises(services.CommentRefused) as refused:
        services.post_comment(manager, private_idea, "La direction passe")
    assert refused.value.status == 403
    assert "membres" in str(refused.value.message)
    member = UserFactory()
    MembershipFactory(user=member, community=private_idea.community)
    assert _post(member, private_idea).idea_id == private_idea.id


def test_reply_to_a_comment_of_another_idea_is_refused(agent, idea, open_community):
    other_idea = IdeaFactory(community=open_community)
    elsewhere = _post(agent, other_idea, "Ailleurs")
    with pytest.raises(services.CommentRefused) as refused:
        services.post_comment(agent, idea, "Réponse détournée", parent=elsewhere)
    assert refused.value.status == 404
    db.session.rollback()
    assert stored_count(idea) == 0 and stored_count(other_idea) == 1


def test_reply_to_a_deleted_comment_is_refused(agent, idea):
    top = _post(agent, idea)
    services.delete_comment(agent, top)
    db.session.commit()
    with pytest.raises(services.CommentRefused) as refused:
        services.post_comment(agent, idea, "Réponse", parent=top)
    assert refused.value.status == 409


def test_edit_sets_edited_at_and_renders_again(agent, idea):
    comment = _post(agent, idea, "Premier jet")
    assert comment.edited_at is None
    services.edit_comment(agent, comment, "Version *corrigée*")
    db.session.commit()
    assert comment.body == "Version *corrigée*"
    assert comment.body_html == "<p>Version <em>corrigée</em></p>\n"
    assert comment.edited_at is not None
    assert stored_count(idea) == 1


def test_edit_with_the_same_text_is_not_an_edit(agent, idea):
    comment = _post(agent, idea, "Inchangé")
    services.edit_comment(agent, comment, "  Inchangé ")
    assert comment.edited_at is None


def test_only_the_author_edits_or_deletes(agent, other_agent, admin, idea):
    comment = _post(agent, idea, "À moi")
    for user in (other_agent, admin):
        with pytest.raises(services.CommentRefused) as refused:
            services.edit_comment(user, comment, "Pris !")
        assert refused.value.status == 403
        with pytest.raises(services.CommentRefused) as refused:
            services.delete_comment(user, comment)
        assert refused.value.status == 403
    db.session.rollback()
    db.session.refresh(comment)
    assert comment.body == "À moi" and comment.deleted_at is None
    assert stored_count(idea) == 1


def test_edit_validates_the_text(agent, idea):
    comment = _post(agent, idea, "Texte")
    with pytest.raises(DomainError) as refused:
        services.edit_comment(agent, comment, " ")
    assert refused.value.field == "body"
    with pytest.raises(DomainError):
        services.edit_comment(agent, comment, "x" * (COMMENT_MAX + 1))


def test_delete_is_soft_keeps_replies_and_counts_once(agent, other_agent, idea):
    top = _post(agent, idea, "Sujet")
    reply = _post(other_agent, idea, "Réponse", parent=top)
    services.delete_comment(agent, top)
    db.session.commit()
    assert top.is_deleted and top.body == "Sujet"  # kept for moderation, out of the pages
    assert stored_count(idea) == 1 and comment_count_is_exact(idea)
    [(shown, replies)] = thread_page(idea).threads
    assert shown.id == top.id and [r.id for r in replies] == [reply.id]
    with pytest.raises(services.CommentRefused) as again:
        services.delete_comment(agent, top)
    assert again.value.status == 409
    db.session.rollback()
    with pytest.raises(services.CommentRefused):
        services.edit_comment(agent, top, "Ressuscité")
    db.session.rollback()
    assert stored_count(idea) == 1 and comment_count_is_exact(idea)


def test_a_second_delete_from_a_stale_copy_does_not_count_twice(app, agent, idea):
    """Two tabs: the second request still holds the comment as not deleted."""
    comment = _post(agent, idea, "Doublon")
    comment_id = comment.id
    with app.app_context():  # another request, another session, same row
        other = db.session.get(Comment, comment_id)
        assert other.deleted_at is None
        services.delete_comment(agent, other)
        db.session.commit()
    stale = db.session.get(Comment, comment_id)
    assert stale.deleted_at is None  # this session has not seen the delete
    with pytest.raises(services.CommentRefused):
        services.delete_comment(agent, stale)
    db.session.rollback()
    assert stored_count(idea) == 0 and comment_count_is_exact(idea)


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_markdown_is_neutralised_in_storage(agent, idea, body):
    comment = _post(agent, idea, body)
    assert active_html(comment.body_html) == []
    assert comment.body == body  # kept as typed; only the HTML is cleaned


def test_the_checker_sees_active_html():
    """The payloads above, left raw, are caught: the test above can fail."""
    assert active_html('<img src=x onerror="alert(1)">') == ["onerror=alert(1)"]
    assert active_html('<a href=" JavaScript:alert(1)">x</a>')
    assert active_html('<a href="data:text/html,x">x</a>')
    assert active_html("<script>alert(1)</script>") == ["inline <script>"]
    assert active_html('<div hx-post="/x" hx-trigger="load">') == ['hx-trigger=load']
