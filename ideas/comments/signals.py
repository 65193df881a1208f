"""Events of the comments domain, for the layers above (notifications) to listen to: comments
never import who listens. Receivers run inside the service's transaction (add and flush only)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Comment, just flushed (a reply's `parent_id` is its top-level comment);
# kwargs: idea, author.
comment_posted = _signals.signal("comment-posted")
# sender: the Comment whose text changed; kwargs: idea, editor.
comment_edited = _signals.signal("comment-edited")
