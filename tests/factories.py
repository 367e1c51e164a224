"""Small builders for the models, with sensible published defaults."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from blog.models import Post, PostCoAuthor
from people.models import Person
from talks.models import Talk, TalkGuest

# The moment tests that depend on "now" run at: a Saturday at noon, UTC.
NOW = datetime.datetime(2024, 6, 15, 12, 0, tzinfo=datetime.UTC)


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    job_title = "Engineer"
    bio = "Writes about <em>software</em>."


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.Sequence(lambda n: f"post-number-{n}")
    date = factory.LazyFunction(lambda: days_ago(3))
    status = "published"
    author = factory.SubFactory(PersonFactory)
    description = "A short description."
    body = "Hello **world**."

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Talk number {n}")
    slug = factory.Sequence(lambda n: f"talk-number-{n}")
    date = factory.LazyFunction(lambda: days_ago(30))
    status = "published"
    author = factory.SubFactory(PersonFactory)
    event_name = "Example Conf"
    event_city = "Dublin, Ireland"
    event_location = "Convention Centre, Dublin"
    event_days = "March 8-9 2024"
    body = "A talk about *streams*."

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class TalkGuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalkGuest

    talk = factory.SubFactory(TalkFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(int)


class PostCoAuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostCoAuthor

    post = factory.SubFactory(PostFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(int)


def make_editor(username: str = "editor") -> User:
    """A staff user in the Editors group created by the migration."""
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
