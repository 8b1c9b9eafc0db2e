"""Signals of the concurrent-edit merge, for apps that keep their own copy of page text."""

from django.dispatch import Signal

# Sent when the conflict view saves an editor's choices: ``held`` (the HeldEdit, now
# resolved) and ``revision`` (the draft revision its choices became), inside the save's
# transaction.
conflict_resolved = Signal()
