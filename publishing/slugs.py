"""Slugs as real sites write them, and the rules that keep every slug an address.

Django's SlugField rejects the slugs of migrated sites
(`Ember.js-in-2021---a-beacon-of-productivity`, `algo_luca`), so slugs here accept
the URL-safe characters RFC 3986 calls unreserved.

Tags keep taggit's slugs, which keep letters and digits of every script (`café`, `日本語`);
their URLs take them as they are (`TAG_SLUG_PATTERN`), and a name with nothing to keep
gets a stable fallback (`free_tag_slug`).
"""

import functools
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import Resolver404, get_script_prefix, resolve, reverse
from django.utils.text import slugify

SLUG_PATTERN = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*"

validate_url_slug = RegexValidator(
    rf"^{SLUG_PATTERN}\Z",
    "Use letters, digits, hyphens, underscores, dots or tildes, not starting with a dot.",
    "invalid",
)

# The pages whose addresses an item's slug makes, by kind of item (the model's name), with
# the other arguments their URLs take. A slug whose address another route answers first
# (a talk called "feed" at /speaking/feed/) is refused: `route_taking()`.
SLUG_ROUTES: Mapping[str, tuple[tuple[str, Mapping[str, Any]], ...]] = {
    "post": (
        ("blog:post_detail", {"year": 2000, "month": 1, "day": 1}),
        ("images:og_card", {"kind": "post"}),
        ("images:og_card_png", {"kind": "post"}),
    ),
    "talk": (
        ("talks:detail", {}),
        ("talks:talk_calendar", {}),
        ("images:og_card", {"kind": "talk"}),
        ("images:og_card_png", {"kind": "talk"}),
    ),
    "person": (("people:detail", {}),),
    "series": (("blog:series", {}),),
}


# A slug that makes valid addresses: each page's address is worked out once with it
# (`reverse()` costs more than the check itself), then the real slug takes its place.
_PLACEHOLDER = "slug-placeholder"
_SLUG_RE = re.compile(rf"{SLUG_PATTERN}\Z")


@functools.cache
def _addresses(kind: str) -> tuple[tuple[str, str], ...]:
    """(URL name, address with the placeholder slug, without the script prefix) of each
    page a slug of `kind` makes."""
    return tuple(
        (
            url_name,
            reverse(url_name, kwargs={**arguments, "slug": _PLACEHOLDER}).removeprefix(
                get_script_prefix()
            ),
        )
        for url_name, arguments in SLUG_ROUTES.get(kind, ())
    )


def route_taking(kind: str, slug: str) -> str | None:
    """The address of another page that an item of `kind` with this slug would have as one
    of its own, or None when all its addresses are its own."""
    if not _SLUG_RE.match(slug):
        return None  # not a URL slug at all: validate_url_slug says so
    for url_name, template in _addresses(kind):
        # URL slugs hold only characters that addresses carry as they are.
        path = "/" + template.replace(_PLACEHOLDER, slug)
        try:
            match = resolve(path)
        except Resolver404:
            return get_script_prefix() + path.removeprefix("/")
        if match.view_name != url_name or match.kwargs.get("slug") != slug:
            return get_script_prefix() + path.removeprefix("/")
    return None


def route_taking_message(slug: str, address: str) -> str:
    return f"“{slug}” cannot be used: {address} is the address of another page; choose another."


class SlugAddressed(models.Model):
    """An item whose slug makes its public addresses (a post, a talk, a person).

    Its model refuses, on the slug field where the editor can mend it, a slug another route
    answers first and a slug another item has in any case (the case-insensitive unique
    constraint, which Django would report by its name above the form)."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        address = None
        if "slug" not in errors and "slug" not in (exclude or ()):
            address = route_taking(self._meta.model_name, self.slug)
        if address:
            errors["slug"] = [
                ValidationError(route_taking_message(self.slug, address), code="route")
            ]
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        try:
            # Every constraint but the slug's uniqueness, which is checked below.
            super().validate_constraints(exclude=exclude | {"slug"})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "slug" not in exclude and (holder := self.slug_holder()):
            errors["slug"] = [
                ValidationError(
                    f"A {self._meta.verbose_name} with this address already exists: "
                    f"“{holder}” ({holder.get_absolute_url()}).",
                    code="unique",
                )
            ]
        if errors:
            raise ValidationError(errors)

    def slug_holder(self):
        """Another item of this model with this slug, in any case, if there is one."""
        others = type(self)._default_manager.with_slug(self.slug)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.first()


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


# --- Tags ---------------------------------------------------------------------------------

# What `slugify(allow_unicode=True)` gives and taggit's admin accepts: letters and digits of
# any script, hyphens and underscores.
TAG_SLUG_PATTERN = r"[-\w]+"


def tag_name_too_long(names: list[str], max_length: int) -> str | None:
    """Why one of `names` cannot be a tag: the message for the first one longer than a tag's
    name holds (`max_length`), else None. Checked before saving, where PostgreSQL would
    refuse the row with neither the tag nor the field."""
    for name in names:
        if len(name) > max_length:
            shown = name if len(name) <= 40 else f"{name[:40]}…"
            return f"tag “{shown}” is {len(name)} characters long; a tag has at most {max_length}"
    return None


def tag_slug_is_usable(slug: str, max_length: int) -> bool:
    return len(slug) <= max_length and re.fullmatch(TAG_SLUG_PATTERN, slug) is not None


def free_tag_slug(name: str, others: models.QuerySet) -> str:
    """A usable slug for a tag called `name` that none of `others` has.

    The name slugified, letters of every script kept; for a name with nothing to keep
    ("---", "🐍"), `tag-` and a digest of the name, the same on every site. Cut to fit the
    column, with -2, -3… when another tag has it."""
    max_length = others.model._meta.get_field("slug").max_length
    base = slugify(name, allow_unicode=True)
    if not base:
        base = "tag-" + hashlib.sha256(name.encode()).hexdigest()[:10]
    candidate = base[:max_length].rstrip("-_")
    for number in itertools.count(2):
        if not others.filter(slug=candidate).exists():
            return candidate
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-_") + suffix


def give_tag_a_usable_slug(sender, instance, **kwargs) -> None:
    """pre_save of taggit's Tag, whatever saves it (admin, importer, `tags.add()`): taggit
    slugifies the name but leaves a name with nothing to keep an empty slug, and lets a long
    name (or its `_1` suffix) overflow the column."""
    max_length = sender._meta.get_field("slug").max_length
    if not tag_slug_is_usable(instance.slug, max_length):
        instance.slug = free_tag_slug(
            instance.name, sender._default_manager.exclude(pk=instance.pk)
        )


# --- People ------------------------------------------------------------------------------

# Room left in a 200-character slug for the suffix that keeps transliterated names apart.
NAME_SLUG_LENGTH = 100


def slug_for_name(name: str) -> str:
    """The slug of a person known only by name, in any script; the same name always
    gives the same slug, so a re-import finds the same person.

    Latin names lose their accents ("José" → "jose", "Łukasz" → "lukasz"), as Django's
    slugify did. Other scripts are transliterated ("Γιώργος" → "giorgos-…", "李雷" →
    "lilei-…") with a suffix from the name itself: transliteration loses what tells
    different names apart ("李雷" and "黎雷" both read "LiLei"), and two people must not
    become one. A name with nothing to transliterate gets "person-" and the suffix.
    """
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    slug = slugify(anyascii(name))[:NAME_SLUG_LENGTH].strip("-_")
    if slug and all(
        unicodedata.name(char, "").startswith("LATIN") for char in name if char.isalpha()
    ):
        return slug
    digest = hashlib.blake2b(name.casefold().encode(), digest_size=3).hexdigest()
    return f"{slug or 'person'}-{digest}"
