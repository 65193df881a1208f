"""Personal data (RGPD): the agent's data export, account erasure, the retention job, and the
privacy and accessibility statement pages' data.

This package sits on top of every domain (it reads and erases what each one keeps about an
agent); nothing below imports it.
"""
