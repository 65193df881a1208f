"""Mentions: `@Prénom Nom` names an account (longest name wins, case-insensitive), only people
who may see the idea are mentioned and notified, once; the name is highlighted in the thread,
never inside links or code."""

from ideas.comments.services import edit_comment, post_comment
from ideas.extensions import db
from ideas.notifications.dispatch import build_immediate
from ideas.notifications.kinds import Kind
from ideas.notifications.mentions import candidate_names, highlight, resolve_mentions
from ideas.notifications.models import CommentMention, Notification, OutboxEmail
from ideas.utils import utcnow
from tests.factories import UserFactory
from tests.helpers import count, text
from tests.notifications.conftest import kinds_of


def test_candidates_are_the_words_after_the_at_sign_longest_first():
    assert candidate_names("Merci @Marie Martin pour l'idée") == [
        ["Marie Martin pour l'idée", "Marie Martin pour", "Marie Martin", "Marie"]]
    assert candidate_names("Voir @Jean-Pierre N'Diaye.") == [["Jean-Pierre N'Diaye", "Jean-Pierre"]]
    assert candidate_names("Écrire à agent@reseau-canope.fr ou x.@y") == []
    assert candidate_names("@Léa et @Paul") == [["Léa et", "Léa"], ["Paul"]]


def test_the_longest_known_name_wins(idea, author):
    marie = UserFactory(display_name="Marie")
    marie_martin = UserFactory(display_name="Marie Martin")
    assert resolve_mentions("Merci @marie martin !", idea, author) == [marie_martin]
    assert resolve_mentions("Merci @Marie !", idea, author) == [marie]


def test_homonyms_are_all_mentioned_the_author_never(idea, author):
    twins = [UserFactory(display_name="Sam Dupont"), UserFactory(display_name="Sam Dupont")]
    inactive = UserFactory(display_name="Sam Dupont", is_active=False)
    found = resolve_mentions("@Sam Dupont et @Claire Autrice", idea, author)
    assert set(found) == set(twins) and inactive not in found


def test_a_mention_notifies_once_as_a_mention(idea, author, follower):
    commenter = UserFactory(display_name="Léa Commente")
    post_comment(commenter, idea,
                 "Qu'en pensent @Paul Suiveur et @Claire Autrice ? @Paul Suiveur ?")
    db.session.commit()
    assert kinds_of(follower) == [Kind.MENTION]
    assert kinds_of(author) == [Kind.MENTION]
    assert count(CommentMention) == 2


def test_mentioning_oneself_is_no_news(idea, follower):
    post_comment(follower, idea, "Note pour @Paul Suiveur : relire demain.")
    db.session.commit()
    assert kinds_of(follower) == []


def test_an_edit_that_adds_a_name_notifies_only_the_new_one(idea, author):
    commenter = UserFactory(display_name="Léa Commente")
    nina, omar = UserFactory(display_name="Nina Lefort"), UserFactory(display_name="Omar Benali")
    comment = post_comment(commenter, idea, "Avis de @Nina Lefort ?")
    db.session.commit()
    edit_comment(commenter, comment, "Avis de @Nina Lefort et de @Omar Benali ?")
    db.session.commit()
    assert kinds_of(nina) == [Kind.MENTION]
    assert kinds_of(omar) == [Kind.MENTION]


def test_an_edit_that_removes_a_name_withdraws_its_unread_mention(app, idea, author):
    commenter = UserFactory(display_name="Léa Commente")
    nina, omar = UserFactory(display_name="Nina Lefort"), UserFactory(display_name="Omar Benali")
    comment = post_comment(commenter, idea, "Avis de @Nina Lefort et de @Omar Benali ?")
    db.session.commit()
    # Omar has read his; Nina's is unread and its email queued but not yet sent.
    db.session.execute(db.update(Notification).where(Notification.user_id == omar.id)
                       .values(read_at=utcnow()))
    with app.test_request_context():
        build_immediate()
    # Mentions are emailed at once by default; so is the comment, to the idea's author.
    assert count(OutboxEmail) == 3

    edit_comment(commenter, comment, "Avis de l'équipe ?")
    db.session.commit()

    assert kinds_of(nina) == [] and kinds_of(omar) == [Kind.MENTION]
    assert count(CommentMention) == 0
    assert count(OutboxEmail) == 2  # Nina's, not sent yet, is gone; Omar's stays
    # Named again, Nina is told again: the withdrawn mention is not remembered.
    edit_comment(commenter, comment, "Avis de @Nina Lefort ?")
    db.session.commit()
    assert kinds_of(nina) == [Kind.MENTION]


def test_highlight_wraps_names_in_text_only():
    html = ('<p>Merci @Marie Martin et @marie martin, pas @Marie Martinez.</p>'
            '<p><a href="https://x.fr/@Marie Martin">@Marie Martin</a> '
            '<code>@Marie Martin</code> &lt;b&gt; &amp;</p>')
    result = str(highlight(html, ["Marie Martin"]))
    assert result.count('<span class="mention">') == 2
    assert '<span class="mention">@Marie Martin</span> et <span class="mention">@marie martin' \
           '</span>, pas @Marie Martinez.' in result
    assert '<a href="https://x.fr/@Marie Martin">@Marie Martin</a>' in result
    assert "<code>@Marie Martin</code> &lt;b&gt; &amp;</p>" in result


def test_highlight_escapes_text_as_it_goes():
    result = str(highlight("<p>@Eve &lt;script&gt;alert(1)&lt;/script&gt;</p>", ["Eve"]))
    assert "<script>" not in result
    assert result == ('<p><span class="mention">@Eve</span> '
                      "&lt;script&gt;alert(1)&lt;/script&gt;</p>")


def test_the_thread_highlights_resolved_mentions(make_client, idea, author, follower):
    UserFactory(display_name="Personne Inconnue", is_active=False)
    commenter = UserFactory(display_name="Léa Commente")
    post_comment(commenter, idea,
                 "Merci @Paul Suiveur, et **@Claire Autrice** ; @Personne Inconnue")
    db.session.commit()
    page = text(make_client(follower).get(f"/idees/{idea.id}"))
    assert '<span class="mention">@Paul Suiveur</span>' in page
    assert '<strong><span class="mention">@Claire Autrice</span></strong>' in page
    assert '<span class="mention">@Personne Inconnue</span>' not in page
