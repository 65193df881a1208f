"""Events of the idea domain, for the layers above (notifications) to listen to. Receivers run
inside the service's transaction (add and flush only)."""

from blinker import Namespace

_signals = Namespace()

# sender: the Idea, just posted and flushed; kwargs: author. Imports mute it (history, not news).
idea_posted = _signals.signal("idea-posted")
