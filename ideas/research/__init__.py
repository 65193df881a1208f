"""Interventions of research actors in learning communities (indicator: 40 a year)."""
