"""Follows: subscriptions to an idea or a community (notifications use them later)."""
