"""The admin's rich text widget, hardened against payloads the editor UI never sends."""

from django.core.exceptions import SuspiciousOperation
from wagtail.admin.rich_text import DraftailRichTextArea


class SafeDraftailRichTextArea(DraftailRichTextArea):
    """Draftail, answering malformed posted data with a 400 instead of a 500.

    The Draftail editor always posts its JSON "contentstate"; anything else (raw
    HTML, a list, a broken structure) comes from a hand-made request. Wagtail
    8.0.1 crashes on it while converting; here it is refused before anything is
    saved, as Django answers SuspiciousOperation: 400 Bad Request.
    """

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, AttributeError, KeyError) as error:
            raise SuspiciousOperation(f"Malformed rich text posted for {name}.") from error
