"""Supports (votes): one per agent per idea, toggled with htmx."""
