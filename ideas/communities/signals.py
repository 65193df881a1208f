"""Events of the communities domain, for the layers above (notifications) to listen to.
Receivers run inside the service's transaction (add and flush only)."""

from blinker import Namespace

_signals = Namespace()

# sender: the pending Membership of a private community, flushed; kwargs: user, community.
join_requested = _signals.signal("join-requested")
