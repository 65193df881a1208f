"""Notifications: the in-app centre (bell, page), emails at once or in daily/weekly digests per
the agent's preferences, sent from an outbox by `flask notifications send`. The domains announce
their events through blinker signals (their own `signals.py`); `receivers` turns them into
notifications, so nothing below imports this package."""
