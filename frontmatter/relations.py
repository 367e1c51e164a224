"""What an imported item links to besides its own columns: people (authors, co-authors,
guests), tags, the ordered credits, and redirects from its old addresses. Each is looked up
once per run where it can be, and written in bulk."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from taggit.models import Tag, TaggedItem

from frontmatter import formats
from frontmatter.matching import Related
from frontmatter.readers import ItemData, ItemError, PersonRef
from people.models import Person
from publishing.kinds import get_kind
from publishing.redirects import REDIRECT_PATH_LENGTH
from publishing.slugs import slug_for_name


class People:
    """The people files name, found or created once per run."""

    def __init__(self, on_create: Callable[[Person], None]):
        self.on_create = on_create
        self.known: dict[str, Person] = {}

    def person(self, ref: PersonRef) -> Person:
        """The Person a reference means: same slug, else same name, else a new person."""
        slug = ref.slug or slug_for_name(ref.name)
        for key in (f"slug:{slug.lower()}", f"name:{ref.name.lower()}" if ref.name else None):
            if key and key in self.known:
                return self.known[key]
        person = Person.objects.with_slug(slug).first()
        if person is None and ref.name:
            person = Person.objects.filter(name__iexact=ref.name).first()
        if person is None:
            person = Person(
                slug=slug,
                name=ref.name or slug,
                link=ref.link,
                avatar_url=ref.image_url,
            )
            person.full_clean(exclude=["avatar"], validate_unique=False)
            person.save()
            self.on_create(person)
        self.remember(person)
        return person

    def remember(self, person: Person) -> None:
        self.known[f"slug:{person.slug.lower()}"] = person
        self.known[f"name:{person.name.lower()}"] = person

    def forget(self) -> None:
        """After a failed file: the people it created were rolled back with it."""
        self.known.clear()


class Tags:
    """Tags by name, looked up once per run and linked in one insert."""

    def __init__(self):
        self.known: dict[str, Tag] = {}

    def tags(self, names: list[str]) -> list[Tag]:
        """The tags `names` link to, each once (a tag keeps its first spelling). taggit's
        tags.set() costs several queries per tag; tags are few and reused."""
        tags = {tag.pk: tag for tag in map(self._tag, {n.lower(): n for n in names}.values())}
        return list(tags.values())

    def _tag(self, name: str) -> Tag:
        key = name.lower()
        if key not in self.known:
            tag = Tag.objects.filter(name__iexact=name).first()
            self.known[key] = tag or Tag.objects.create(name=name)
        return self.known[key]

    def forget(self) -> None:
        """After a failed file: the tags it created were rolled back with it."""
        self.known.clear()

    @staticmethod
    def sync(instance, tags: list[Tag], created: bool, related: Related | None) -> bool:
        """Link the item to exactly these tags; whether that changed anything."""
        wanted = {tag.name.lower() for tag in tags}
        content_type = ContentType.objects.get_for_model(instance)
        if not created:
            if related is not None:
                current = related.tags
            else:
                items = TaggedItem.objects.filter(content_type=content_type, object_id=instance.pk)
                current = {name.lower() for name in items.values_list("tag__name", flat=True)}
            if current == wanted:
                return False
            TaggedItem.objects.filter(content_type=content_type, object_id=instance.pk).delete()
        elif not wanted:
            return False
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=content_type, object_id=instance.pk, tag=tag) for tag in tags
        )
        return True


def sync_credits(
    instance,
    item: ItemData,
    credited: list[tuple[PersonRef, Person]],
    created: bool,
    related: Related | None,
    keys_in_file: set[str],
) -> bool:
    """Give the item exactly these co-authors or guests, in order; whether that changed
    anything. A person listed twice fails the file, at the key that lists them."""
    kind = get_kind(item.kind)
    model, item_field = kind.credit_model, kind.credit_item_field
    wanted = []
    for ref, person in credited:
        if any(person_id == person.pk for person_id, _, _ in wanted):
            table = formats.get_format(item.dialect).table(item.kind)
            key = next(
                name
                for name, known in table.items()
                if known.target == "credits" and name in keys_in_file
            )
            raise ItemError(f"{key}: {ref.name or ref.slug} is listed more than once", key)
        wanted.append((person.pk, ref.link, ref.image_url))
    if created:
        current = []  # a new item has none yet
    elif related is not None:
        current = related.credits
    else:
        current = list(
            model.objects.filter(**{item_field: instance})
            .order_by("position")
            .values_list("person_id", "link", "image_url")
        )
    if current == wanted:
        return False
    if not created:
        model.objects.filter(**{item_field: instance}).delete()
    model.objects.bulk_create(
        model(
            **{item_field: instance},
            person_id=person_id,
            position=position,
            link=link,
            image_url=image_url,
        )
        for position, (person_id, link, image_url) in enumerate(wanted)
    )
    return True


class Redirects:
    """Redirects from the old addresses of a chunk's imported items, saved with it."""

    def __init__(self, warn: Callable[[str, str], None]):
        self.warn = warn
        self.of_file: dict[str, str] = {}  # old path -> new path, for the current file
        self.of_chunk: dict[str, str] = {}

    def start_file(self) -> None:
        self.of_file = {}

    def keep_file(self) -> None:
        """The file was imported: its redirects are saved with the chunk."""
        self.of_chunk.update(self.of_file)

    def add(self, instance, item: ItemData) -> None:
        """Remember the redirects from the item's old URLs (its format knows them)."""
        new_path = instance.get_absolute_url()
        for old_path in formats.get_format(item.dialect).old_paths(item, instance):
            if not old_path or old_path == new_path:
                continue
            if max(len(old_path), len(new_path)) > REDIRECT_PATH_LENGTH:
                self.warn(
                    instance.source_path,
                    f"no redirect from {old_path} to {new_path}: "
                    f"a redirect holds addresses of up to {REDIRECT_PATH_LENGTH} characters",
                )
                continue
            self.of_file[old_path] = new_path

    def save(self) -> None:
        """Create or update the chunk's redirects, in three queries."""
        if not self.of_chunk:
            return
        existing = {
            redirect.old_path: redirect
            for redirect in Redirect.objects.filter(
                site_id=settings.SITE_ID, old_path__in=list(self.of_chunk)
            )
        }
        changed = []
        for old_path, new_path in self.of_chunk.items():
            redirect = existing.get(old_path)
            if redirect is not None and redirect.new_path != new_path:
                redirect.new_path = new_path
                changed.append(redirect)
        Redirect.objects.bulk_update(changed, ["new_path"])
        Redirect.objects.bulk_create(
            Redirect(site_id=settings.SITE_ID, old_path=old_path, new_path=new_path)
            for old_path, new_path in self.of_chunk.items()
            if old_path not in existing
        )
        self.of_chunk.clear()
