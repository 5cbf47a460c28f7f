"""Reads that are not verbs: figures and groupings the faces and the services compute from the database.

Nothing here changes state (that is `policies.services`); each module answers questions about one part of the
committee's work, and the faces decide whose rows it sees (`policies.permissions`).
"""
