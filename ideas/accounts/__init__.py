"""Accounts: agents, their roles, sign-up, login, password reset, invitations, profile."""
