"""Block behaviour every app's StreamField blocks share."""

from django.utils import translation


class WidgetPerLanguageMixin:
    """Build a chooser block's form field and widget once per admin language, not once per process.

    Wagtail's chooser blocks (``PageChooserBlock``, ``SnippetChooserBlock``…) keep their
    ``field`` and ``widget`` as ``cached_property`` on the block, which lives as long as the
    process, and the widgets compute their button labels when they are built: "Choose a page
    (Therapy page)" is joined from two translated strings, "Choose %(object)s" is formatted.
    The first editor to open a form in a worker therefore fixed its labels for everyone: after
    a Vietnamese editor, an English editor saw "Chọn một trang (Trang liệu pháp)". Each
    language gets its own here, built the first time that language asks.
    """

    def _per_language(self, name, build):
        built = self.__dict__.setdefault("_built_per_language", {})
        key = (name, translation.get_language())
        if key not in built:
            built[key] = build()
        return built[key]

    @property
    def widget(self):
        return self._per_language("widget", lambda: super(WidgetPerLanguageMixin, self).widget)

    @property
    def field(self):
        # The form field holds the widget it was built with: built per language as well.
        return self._per_language("field", lambda: super(WidgetPerLanguageMixin, self).field)
