"""Moderation: reports, the review queue, hiding, locking, pinning, merging, suspensions and
the audit log of every moderation action."""
