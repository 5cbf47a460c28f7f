"""The audit log: one append-only record of who changed what, when, from which value to which."""
