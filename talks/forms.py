"""The speaking page's filters: a plain GET form, so they work without JavaScript."""

from django import forms
from django.db.models import Expression
from django.utils.translation import get_language_info

from talks.models import TalkQuerySet, language_code, local_year


def language_name(code: str) -> str:
    """ "Italian" for "it"; the code itself when Django does not know the language."""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return code


class TalkFilterForm(forms.Form):
    """Year, workshops only and language; the choices are those the given talks have."""

    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    workshops = forms.BooleanField(label="Workshops only", required=False)
    language = forms.ChoiceField(required=False)

    def __init__(
        self, data=None, *, talks: TalkQuerySet, year: Expression | None = None, **kwargs
    ):
        """`year` is `local_year(talks)`, found when not given."""
        super().__init__(data, **kwargs)
        # One query for both lists of choices, whatever the number of talks.
        rows = (
            talks.order_by()
            .annotate(year=local_year(talks) if year is None else year)
            .values_list("year", "presentation_language", "language")
            .distinct()
        )
        years, languages = set(), set()
        for year, presentation_language, language in rows:
            years.add(year)
            if code := language_code(presentation_language or language):
                languages.add(code)
        self.fields["year"].choices = [
            ("", "Any year"),
            *((year, str(year)) for year in sorted(years, reverse=True)),
        ]
        by_name = sorted((language_name(code), code) for code in languages)
        self.fields["language"].choices = [
            ("", "Any language"),
            *((code, name) for name, code in by_name),
        ]

    def filter(self, talks: TalkQuerySet) -> TalkQuerySet:
        """The talks that match the valid filters; an invalid value filters nothing."""
        if self.is_bound:
            self.is_valid()
        values = getattr(self, "cleaned_data", {})
        if year := values.get("year"):
            talks = talks.filter(date__year=year)
        if values.get("workshops"):
            talks = talks.filter(is_workshop=True)
        if language := values.get("language"):
            talks = talks.spoken_in(language)
        return talks

    @property
    def is_filtering(self) -> bool:
        values = getattr(self, "cleaned_data", {})
        return any(values.get(name) for name in ("year", "workshops", "language"))
