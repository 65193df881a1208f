"""Where a comment is shown: the idea page, on the page of its thread that holds it (the idea
page shows one page of top-level comments; see `queries.thread_page`)."""

from flask import url_for

from ideas.comments.models import Comment
from ideas.comments.queries import page_of


def thread_url(idea_id: int, comment: Comment | None = None) -> str:
    """The idea page at its thread, or at a comment (one query for the comment's page)."""
    if comment is None:
        return url_for("ideation.show", idea_id=idea_id, _anchor="commentaires")
    page = page_of(comment)
    return url_for("ideation.show", idea_id=idea_id, commentaires=page if page > 1 else None,
                   _anchor=f"commentaire-{comment.id}")
