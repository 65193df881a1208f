"""Events of the workflow, for the layers above (notifications) to listen to. Receivers run
inside the service's transaction (add and flush only)."""

from blinker import Namespace

_signals = Namespace()

# sender: the StatusChange, flushed (its service_id set for an adoption); kwargs: idea, actor.
# Sent before a merge moves the idea's followers to the target, so they can still be found.
idea_moved = _signals.signal("idea-moved")
