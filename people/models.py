import operator
from collections import Counter
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.text import slugify

from images.fields import ContentImageField
from publishing.addresses import slug_url
from publishing.kinds import Kind, publishable_kinds
from publishing.links import http_url
from publishing.markdown import render_markdown
from publishing.models import SlugQuerySet, SourceTracked, validate_markdown
from publishing.slugs import SlugAddressed, URLSlugField


@dataclass(frozen=True)
class Role:
    """A part people have in the items of a kind, as their author, as one of the people
    credited on them, or both when the kind words them the same (`Kind.author_role`,
    `Kind.credit_role`): "Author of" posts (written or co-written), "Guest in" talks."""

    kind: Kind
    words: str
    as_author: bool
    as_credited: bool

    @property
    def key(self) -> str:
        return f"{self.kind.name}_{slugify(self.words).replace('-', '_')}"

    def counts(self) -> Counter:
        """How many public items each person has this part in, by person id.

        Grouped counts over the indexes (the items' by status and date, which holds their
        author; the credits' by item and person), one to three queries whatever the number
        of people: a count per person in a subquery made SQLite read every public item
        once per person."""
        items = self.kind.model.objects.published().order_by()
        totals: Counter = Counter()
        if self.as_author:
            totals.update(dict(_per(items, "author")))
        if self.as_credited:
            item = self.kind.credit_item_field
            credits = self.kind.credit_model.objects.filter(**{f"{item}__in": items.values("pk")})
            totals.update(dict(_per(credits, "person")))
            if self.as_author:
                # An item the person wrote and is also credited on counts once.
                own = self.kind.credit_model.objects.filter(
                    **{item: OuterRef("pk")}, person=OuterRef("author")
                )
                totals.subtract(dict(_per(items.filter(Exists(own)), "author")))
        return totals

    def describe(self, count: int) -> str:
        meta = self.kind.model._meta
        return (
            f"{self.words} {count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        )


def _per(queryset: models.QuerySet, field: str):
    """(value of `field`, number of rows) for each value."""
    return queryset.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")


def attach_roles(people: list) -> None:
    """Give each person their `role_counts` ({role key: count}) for `Person.roles`, in a
    few queries for the whole list."""
    counts = {role.key: role.counts() for role in person_roles()}
    for person in people:
        person.role_counts = {key: found[person.pk] for key, found in counts.items()}


def person_roles() -> list[Role]:
    """The parts people can have, kind by kind (publishing.kinds)."""
    roles = []
    for kind in publishable_kinds():
        if kind.credit_model is None:
            roles.append(Role(kind, kind.author_role, as_author=True, as_credited=False))
        elif kind.author_role == kind.credit_role:
            roles.append(Role(kind, kind.author_role, as_author=True, as_credited=True))
        else:
            roles.append(Role(kind, kind.author_role, as_author=True, as_credited=False))
            roles.append(Role(kind, kind.credit_role, as_author=False, as_credited=True))
    return roles


class PersonQuerySet(SlugQuerySet):
    def published(self):
        """What the public may see: people credited (as author, co-author or guest) on at
        least one item the public may see.

        The items are every model that points at Person and has a `published()` queryset
        (posts, talks), so what counts as public stays the items' own rule, and this module
        needs to know none of them."""
        credited = list(self._credited_on_public_items())
        return self.filter(reduce(operator.or_, credited)) if credited else self.none()

    def _credited_on_public_items(self):
        """A condition per way of crediting people on items that have a `published()`
        queryset: their author foreign key, or a co-author/guest many-to-many.

        Each is `pk IN (the people credited on public items)`, a subquery that does not
        depend on the person: the database computes it once per query, from the index of
        public items (which holds their author), instead of checking every item of every
        person (a correlated EXISTS read each item's row)."""
        for relation in self.model._meta.related_objects:
            items = relation.related_model._default_manager.all()
            if not hasattr(items, "published"):
                continue
            public = items.published().order_by()
            field = relation.field
            if field.many_to_many:
                credits = field.remote_field.through._default_manager.filter(
                    **{f"{field.m2m_field_name()}__in": public.values("pk")}
                )
                people = credits.order_by().values(field.m2m_reverse_field_name())
            else:
                people = public.values(field.name)
            yield models.Q(pk__in=people)


class Person(SlugAddressed, SourceTracked):
    """An author, co-author or talk guest: one model for everyone credited on the site."""

    objects = PersonQuerySet.as_manager()

    name = models.CharField(max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="admin account",
        help_text="The person's own admin account, if they have one: the posts and talks "
        "they add start with them as the author.",
    )
    slug = URLSlugField(
        help_text="Part of the address; imported handles (author_slug, authorHandle) are kept "
        "as they are.",
    )
    job_title = models.CharField(max_length=200, blank=True)
    bio = models.TextField(
        "short bio",
        blank=True,
        validators=[validate_markdown],
        help_text="One line; may contain simple HTML such as links.",
    )
    long_bio = models.TextField(blank=True, validators=[validate_markdown], help_text="Markdown.")
    body = models.TextField(
        "page text",
        blank=True,
        validators=[validate_markdown],
        help_text="More about this person, shown on their page (Markdown). Imported profile "
        "files keep their text here.",
    )
    bio_html = models.TextField(editable=False, blank=True)
    long_bio_html = models.TextField(editable=False, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    link = models.CharField(
        max_length=500,
        blank=True,
        help_text="Personal website or profile (http/https); other values are kept but not "
        "linked.",
    )
    github = models.CharField("GitHub", max_length=100, blank=True, help_text="User name.")
    twitter = models.CharField("Twitter / X", max_length=100, blank=True, help_text="Handle.")
    mastodon = models.CharField(
        max_length=200, blank=True, help_text="Full handle, e.g. @name@server.social."
    )
    linkedin = models.CharField(
        "LinkedIn", max_length=200, blank=True, help_text="Profile id (the part after /in/)."
    )
    bluesky = models.CharField(
        max_length=200, blank=True, help_text="Handle, e.g. name.bsky.social."
    )
    avatar = ContentImageField(help_text="A square picture works best.")
    avatar_url = models.CharField(
        "avatar URL",
        max_length=500,
        blank=True,
        help_text="Remote picture used when no avatar is uploaded.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What `render()` writes: bulk paths (render_markdown) save these.
    rendered_fields = ("bio_html", "long_bio_html", "body_html")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="person_slug_ci_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("people:detail", self.slug)

    def render(self) -> None:
        self.bio_html = render_markdown(self.bio)
        self.long_bio_html = render_markdown(self.long_bio)
        self.body_html = render_markdown(self.body)

    @cached_property
    def is_published(self) -> bool:
        """Whether the public may see this person (see `PersonQuerySet.published()`)."""
        return Person.objects.filter(pk=self.pk).published().exists()

    @property
    def link_url(self) -> str | None:
        return http_url(self.link)

    @property
    def remote_avatar_url(self) -> str | None:
        """The http(s) address `manage.py fetch_avatars` downloads the avatar from. Pages
        never use it: they show the stored avatar through renditions, else the initial."""
        return http_url(self.avatar_url)

    @property
    def name_is_handle(self) -> bool:
        """Whether the name is only the handle files credit this person by: an import
        names people it knows by handle alone (a post's authorHandle without a profile
        file) after the handle, until a profile or an editor gives the name."""
        return self.name == self.slug

    @cached_property
    def roles(self) -> list[str]:
        """What this person did on public items ("Author of 3 posts", "Guest in 1
        talk"), from the counts `attach_roles()` gave the list, else counted now."""
        if "role_counts" not in self.__dict__:
            attach_roles([self])
        counts = self.role_counts
        roles = person_roles()
        return [role.describe(counts[role.key]) for role in roles if counts.get(role.key)]

    @property
    def social_links(self) -> list[tuple[str, str]]:
        """(label, URL) pairs for the profiles this person has."""
        links = []
        if self.github:
            links.append(("GitHub", f"https://github.com/{self.github}"))
        if self.twitter:
            links.append(("Twitter", f"https://twitter.com/{self.twitter.lstrip('@')}"))
        if self.mastodon.count("@") == 2:
            user, server = self.mastodon.lstrip("@").split("@")
            links.append(("Mastodon", f"https://{server}/@{user}"))
        if self.linkedin:
            links.append(("LinkedIn", f"https://www.linkedin.com/in/{self.linkedin}"))
        if self.bluesky:
            links.append(("Bluesky", f"https://bsky.app/profile/{self.bluesky}"))
        return links


class Credit(models.Model):
    """A person credited on an item (co-author, guest), in order, with the link and picture
    given there; they may differ from the person's own (sites copy them per file)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)
    link = models.CharField(
        max_length=500, blank=True, help_text="Link given on this item, if it differs."
    )
    image_url = models.CharField(
        "image URL", max_length=500, blank=True, help_text="Picture given on this item."
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return str(self.person)

    @property
    def link_url(self) -> str | None:
        return http_url(self.link) or self.person.link_url
