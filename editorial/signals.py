"""Keep the cached red-flag phrase list in step with the snippet."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .claims import forget_phrases
from .models import RedFlagClaim


@receiver(post_save, sender=RedFlagClaim)
@receiver(post_delete, sender=RedFlagClaim)
def _forget_cached_phrases(**kwargs):
    forget_phrases()
