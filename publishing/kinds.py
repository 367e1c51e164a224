"""The registry of content kinds: posts, talks, people.

Each content app registers its kind in its `AppConfig.ready()`; the layers that work on
every kind (the import/export engine, search, the page cache, image clean-up, the editors'
permissions, `render_markdown`) ask this registry rather than naming the apps, so the base
imports none of them and a new kind is one `register()` call.

What a kind's model already knows stays on the model: its rendered fields
(`rendered_fields`), its image fields (found by type, `images.fields.image_fields`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import models

from publishing.models import Publishable


@dataclass(frozen=True)
class Kind:
    # The kind's name in addresses (/og/post/…), search results and front-matter files.
    name: str
    model: type[models.Model]
    # The through model listing an item's other people (co-authors, guests), in order,
    # and the name of its foreign key to the item.
    credit_model: type[models.Model] | None = None
    credit_item_field: str = ""
    # Fields that search ranks like a description (titles rank higher, bodies lower);
    # a kind without them is not searched. Fields ending in "_html" are read as text.
    search_fields: tuple[str, ...] = ()
    # Other models editors manage with this kind (a post's series).
    companion_models: tuple[type[models.Model], ...] = ()
    # How lists that mix kinds show an item: its card, a function of the item and the
    # level of its title's heading, returning HTML (blog.templatetags.posts.post_card).
    card: Callable[..., str] | None = None
    # The field search ranks highest, and the rendered HTML it ranks lowest and takes
    # snippets from.
    search_title: str = "title"
    search_body: tuple[str, ...] = ("body_html",)
    # The text a result's snippet starts with, ahead of the body (HTML if "_html").
    search_lead: str = "description"
    # How a person's part in items of this kind reads on the people index ("Author of
    # 3 posts"): as an item's author, and as one of its credited people. The same words
    # for both count each item once.
    author_role: str = "Author of"
    credit_role: str = "Credited on"

    @property
    def searchable(self) -> bool:
        return bool(self.search_fields)

    @property
    def editable_models(self) -> tuple[type[models.Model], ...]:
        """The models an editor changes when editing an item of this kind."""
        credits = () if self.credit_model is None else (self.credit_model,)
        return (self.model, *credits, *self.companion_models)

    @property
    def publishable(self) -> bool:
        """Whether items are dated and published (`Publishable`): they appear by themselves
        at their date, and files hold them as items with a body."""
        return issubclass(self.model, Publishable)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add a kind (from its app's `ready()`); registering the same one again is harmless."""
    known = _kinds.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"a different kind is already registered as {kind.name!r}")
    _kinds[kind.name] = kind


def all_kinds() -> Iterator[Kind]:
    return iter(_kinds.values())


def get_kind(name: str) -> Kind:
    """The kind of that name; LookupError if there is none."""
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no content kind {name!r}") from None


def kind_of(model: type[models.Model]) -> Kind:
    for kind in _kinds.values():
        if kind.model is model:
            return kind
    raise LookupError(f"{model._meta.label} is not a registered content kind")


def searchable_kinds() -> list[Kind]:
    return [kind for kind in _kinds.values() if kind.searchable]


def publishable_kinds() -> list[Kind]:
    return [kind for kind in _kinds.values() if kind.publishable]
