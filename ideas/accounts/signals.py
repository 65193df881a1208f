"""Events other domains listen to, so accounts never imports what sits above it."""

from blinker import Namespace

_signals = Namespace()

# sender: the Invitation; kwargs: user. Communities adds the membership it carries.
invitation_accepted = _signals.signal("invitation-accepted")
