"""Slugs as real sites write them.

Django's SlugField rejects the slugs of migrated sites
(`Ember.js-in-2021---a-beacon-of-productivity`, `algo_luca`), so slugs here accept
the URL-safe characters RFC 3986 calls unreserved.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

SLUG_PATTERN = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*"

validate_url_slug = RegexValidator(
    rf"^{SLUG_PATTERN}\Z",
    "Use letters, digits, hyphens, underscores, dots or tildes, not starting with a dot.",
    "invalid",
)


class URLSlugField(models.CharField):
    """A slug that keeps capitals, dots and underscores, as imported sites have them."""

    default_validators = [validate_url_slug]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.CharField, **kwargs})


@URLSlugField.register_lookup
class CaseInsensitiveExact(models.Lookup):
    """`slug__ci=value`: the slug whatever its case, as `LOWER(slug) = lower(value)`.

    Unlike `slug__iexact` (a `LIKE` on SQLite, which scans the table), this is the
    expression the models' case-insensitive unique constraints index. Slugs are ASCII,
    where SQL's and Python's lower-casing agree.
    """

    lookup_name = "ci"

    def get_prep_lookup(self):
        return self.rhs.lower() if isinstance(self.rhs, str) else self.rhs

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(Lower(self.lhs))
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = {rhs}", [*lhs_params, *rhs_params]
