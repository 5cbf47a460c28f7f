"""A vocabulary: stable slugs stored in rows, and the words people read for them, registered by the app that
writes them and looked up when the row is shown, in the reader's language.

The apps below `policies` store slugs they do not define (audit actions, notification kinds): each app that
writes them registers its words in its AppConfig.ready. Imports nothing of ours.
"""

from collections.abc import Mapping

from django.contrib import admin
from django.utils.functional import Promise


class Vocabulary:
    def __init__(self, name: str):
        self.name = name
        self._labels: dict[str, Promise | str] = {}

    def register(self, labels: Mapping[str, Promise | str]) -> None:
        """Add slugs with their (lazily translated) words; a slug means one thing everywhere."""
        for slug, label in labels.items():
            if self._labels.get(slug, label) != label:
                raise ValueError(f"{self.name} {slug!r} is registered twice with different words.")
            self._labels[slug] = label

    def label_of(self, slug: str) -> str:
        """The slug in words; one nobody registered (kept from an older release) shows as stored."""
        return str(self._labels.get(slug, slug))

    def known(self) -> frozenset[str]:
        return frozenset(self._labels)

    def list_filter(self, field: str, title) -> type:
        """An admin list filter on `field` offering the recorded slugs in words, ordered by their words."""
        vocabulary = self

        class Filter(admin.SimpleListFilter):
            parameter_name = field

            def lookups(self, request, model_admin):
                recorded = model_admin.get_queryset(request).order_by().values_list(field, flat=True).distinct()
                return sorted(((slug, vocabulary.label_of(slug)) for slug in recorded), key=lambda pair: pair[1])

            def queryset(self, request, queryset):
                return queryset.filter(**{field: self.value()}) if self.value() else queryset

        Filter.title = title
        return Filter
