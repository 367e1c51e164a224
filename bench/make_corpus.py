"""Generate a synthetic corpus of Markdown files in the three front-matter dialects.

    python bench/make_corpus.py N OUTDIR [--seed S] [--body-words W] [--talk-share F]

Writes exactly N Markdown files under OUTDIR (which must be empty or missing), split
roughly as the real sites are (see FORMATS.md in the shared corpus):

- ``mainmatter/`` (30%): Eleventy posts ``posts/YYYY-MM-DD-slug.md`` plus a few author
  profiles ``authors/<handle>.md``; some posts point ``image:``/``og.image`` at
  site-absolute ``/assets/images/posts/<stem>/…`` files that exist under
  ``mainmatter/assets/`` (import with ``assets_root=OUTDIR/mainmatter``).
- ``loige-2021/`` (35%): Gatsby bundles ``speaking/YYYY-MM-DD_slug/index.md`` and
  ``posts/YYYY-MM-DD_slug/index.md`` with ``uuid`` and ``layout``.
- ``loige-2025/`` (35%): Astro single-file talks ``speaking/YYYY-MM-DD_slug.md`` and post
  bundles ``posts/YYYY-MM-DD_slug/index.md``.

Texts are word salad from a fixed vocabulary, with the shapes that matter to the
importer: headings, lists, a fenced code block, links, quoting styles mixed per key,
multi-line scalars, ``with:`` guest lists, GPS strings and a few tiny PNG images. The
same N and seed always give byte-identical files. Every slug is unique.

By default bodies are 300-800 words and about 44% of the files are talks. ``--body-words W``
makes bodies of W words ±20% (the serving benchmark uses 2,000); ``--talk-share F`` makes
about that share of all files talks (0.3 gives 700 posts and 300 talks in 1,000 roughly);
they can only come from the two loige dialects (70% of the files), so F is at most 0.7.
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import io
import random
import sys
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image


def vocabulary(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = vocabulary("""
able access adapter agent album anchor answer api archive array async atlas audit
backend badge balance batch beacon binary bridge browser buffer bundle cache canvas
capture cargo cell channel chart cipher client cloud cluster column commit compiler
config console container context cookie cursor daemon dashboard data debug deploy
design device digest docker domain draft driver edge editor element engine entry event
export field filter flag folder format frame function gateway graph handler harbor hash
header heap host hook image import index input instance issue kernel key lambda layer
layout ledger library limit linker list loader locale logic loop macro manifest map
marker matrix memory merge message metric migration model module monitor mutex network
node object offset option output package page panel parser patch path pattern payload
pipeline pixel plugin pointer policy pool port preview process profile prompt proxy
query queue range reader record reducer region registry release render replica request
resolver resource route runtime sandbox scalar schema scope script search sector
segment server service session shader shell signal sketch slot snapshot socket source
stack state storage stream string struct style switch symbol syntax table target task
template tenant terminal test thread token trace tracker tree trigger tuple type update
upload value vector version view volume watcher widget window worker wrapper yield zone
""")
ADJECTIVES = vocabulary("""
quick quiet brave bright calm clever curious eager early faint fast gentle grand
happy honest humble keen kind lazy little lucky modern narrow neat noble odd patient
plain polite proud rapid rare ready robust rough safe sharp shiny simple slow smooth
solid steady strict sudden tidy tiny vast vivid warm wise young boring practical
""")
VERBS = vocabulary("""
build break cache check clean compose debug deliver deploy design detect fetch filter
find fix handle import index inspect learn load measure merge migrate move observe
optimise parse patch profile publish query read refactor release render replace
resolve retry route run scale schedule serve ship sort split store stream test trace
translate tune update upload validate verify watch write
""")
FIRST_NAMES = vocabulary("""
Ada Bruno Carla Dario Elena Farid Greta Hugo Irene Jonas Kira Lars Mina Nadia Oscar
Paula Quinn Rosa Sami Tilde Umar Vera Wanda Xavi Yara Zeno
""")
LAST_NAMES = vocabulary("""
Abbott Brennan Castell Delmar Eskola Fontaine Gallo Haddad Ivanova Jansen Kowal
Lindqvist Moreau Novak Okafor Pereira Quist Rinaldi Sato Tanaka Ulloa Varga Weber
Yilmaz Zanetti
""")
CITIES = [
    ("Dublin, Ireland", 53.349, -6.260),
    ("Lisbon, Portugal", 38.722, -9.139),
    ("Rovinj, Croatia", 45.081, 13.638),
    ("Milan, Italy", 45.464, 9.190),
    ("Berlin, Germany", 52.520, 13.405),
    ("Kraków, Poland", 50.064, 19.945),
    ("Bilbao, Spain", 43.263, -2.935),
    ("Tallinn, Estonia", 59.437, 24.753),
    ("Lyon, France", 45.764, 4.835),
    ("Ghent, Belgium", 51.054, 3.717),
]
TAGS = vocabulary("""
rust python django javascript node svelte ember elixir postgres aws serverless
testing performance security accessibility devops career open-source webassembly
""")
CODE_LANGUAGES = ["python", "javascript", "bash", "rust", "yaml", "typescript", "json"]
PNG_SPECS = {
    "header.png": ((48, 27), (204, 85, 0)),
    "header-fb.png": ((40, 21), (0, 102, 204)),
    "header-tw.png": ((32, 16), (0, 153, 102)),
    "diagram.png": ((24, 24), (120, 40, 160)),
    "chart.png": ((30, 20), (220, 200, 40)),
}
# One in IMAGE_EVERY post bundles (and mainmatter posts) refers to local images: enough
# to exercise reading, validating and storing images without making the run about I/O.
IMAGE_EVERY = 5
SHARES = {"mainmatter": 0.30, "loige-2021": 0.35, "loige-2025": 0.35}
# The share of talks among each loige dialect's files, unless a talk share is asked for.
TALK_SHARES = {"loige-2021": 0.60, "loige-2025": 0.65}
LOIGE_SHARE = SHARES["loige-2021"] + SHARES["loige-2025"]


@dataclass
class CorpusSummary:
    """What was written: Markdown files by dialect and kind, plus image files."""

    markdown_files: Counter[str] = field(default_factory=Counter)
    image_files: int = 0

    @property
    def total(self) -> int:
        return sum(self.markdown_files.values())


@dataclass(frozen=True)
class Person:
    name: str
    slug: str
    handle: str


def png_bytes() -> dict[str, bytes]:
    """A handful of tiny solid-colour PNGs, built in memory (deterministic bytes)."""
    images = {}
    for name, (size, colour) in PNG_SPECS.items():
        buffer = io.BytesIO()
        Image.new("RGB", size, colour).save(buffer, format="PNG", optimize=False)
        images[name] = buffer.getvalue()
    return images


def split_counts(n: int) -> dict[str, int]:
    mainmatter = round(n * SHARES["mainmatter"])
    loige_2021 = round(n * SHARES["loige-2021"])
    return {
        "mainmatter": mainmatter,
        "loige-2021": loige_2021,
        "loige-2025": n - mainmatter - loige_2021,
    }


class CorpusWriter:
    """Writes one corpus; all randomness comes from one seeded generator."""

    def __init__(
        self,
        outdir: Path,
        seed: int,
        body_words: int | None = None,
        talk_share: float | None = None,
    ):
        self.outdir = outdir
        self.rng = random.Random(seed)
        self.body_words = body_words
        self.talk_shares = dict(TALK_SHARES)
        if talk_share is not None:
            self.talk_shares = dict.fromkeys(TALK_SHARES, talk_share / LOIGE_SHARE)
        self.summary = CorpusSummary()
        self.images = png_bytes()
        self.serial = 0
        self.guests = self._people(60)
        self.loige_authors = self._people(3)
        self.bundles_written = 0

    # -- small random pieces --------------------------------------------------------

    def _people(self, count: int) -> list[Person]:
        people: list[Person] = []
        seen: set[str] = set()
        while len(people) < count:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            if name in seen:
                continue
            seen.add(name)
            slug = f"{first}-{last}".lower()
            people.append(Person(name, slug, f"{first.lower()}{last.lower()}"))
        return people

    def words(self, low: int, high: int) -> list[str]:
        pool = (WORDS, WORDS, ADJECTIVES, VERBS)
        return [self.rng.choice(self.rng.choice(pool)) for _ in range(self.rng.randint(low, high))]

    def title(self) -> str:
        words = self.words(3, 7)
        text = " ".join(words).capitalize()
        if self.rng.random() < 0.2:
            text += ": " + " ".join(self.words(2, 4))
        return text

    def sentence(self) -> str:
        words = self.words(6, 16)
        # Markup never starts a sentence, so a sentence can also be a plain YAML value.
        if self.rng.random() < 0.25:
            start = self.rng.randrange(1, len(words))
            end = min(len(words), start + self.rng.randint(1, 3))
            label = " ".join(words[start:end])
            words[start:end] = [f"[{label}]({self.url('docs')})"]
        elif self.rng.random() < 0.15:
            index = self.rng.randrange(1, len(words))
            words[index] = f"`{words[index]}()`"
        elif self.rng.random() < 0.1:
            index = self.rng.randrange(1, len(words))
            words[index] = f"**{words[index]}**"
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def url(self, kind: str) -> str:
        path = "-".join(self.words(2, 4))
        return f"https://{kind}.example.org/{path}/{self.rng.randint(1, 9999)}"

    def moment(self) -> datetime.datetime:
        start = datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC)
        seconds = self.rng.randrange(15 * 365 * 24 * 3600)
        return (start + datetime.timedelta(seconds=seconds)).replace(second=0, microsecond=0)

    def new_uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def slug_for(self, title: str) -> str:
        """Unique across the corpus: word salad repeats, the serial never does."""
        self.serial += 1
        base = "-".join("".join(c for c in word if c.isalnum()) for word in title.split()[:6])
        return f"{base.lower()}-{self.serial}"

    def quoted(self, value: str, weights: tuple[int, int, int] = (1, 1, 1)) -> str:
        """The value as plain, single- or double-quoted YAML, chosen at random."""
        style = self.rng.choices(["plain", "sq", "dq"], weights=weights)[0]
        if style == "plain" and (": " in value or value[:1] in "'\"[{&*!|>%@`#"):
            style = "sq"
        if style == "sq":
            return "'" + value.replace("'", "''") + "'"
        if style == "dq":
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return value

    def timestamp(self, moment: datetime.datetime, quote_share: float = 0.0) -> str:
        text = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        if self.rng.random() < quote_share:
            return self.quoted(text, (0, 1, 1))
        return text

    def gps(self, city: tuple[str, float, float], weights: tuple[int, int, int, int]) -> str:
        """`event_location_gps`: plain, quoted, `null` or `~`."""
        _, latitude, longitude = city
        latitude += self.rng.uniform(-0.05, 0.05)
        longitude += self.rng.uniform(-0.05, 0.05)
        text = f"{latitude},{longitude}"
        style = self.rng.choices(["plain", "quoted", "null", "tilde"], weights=weights)[0]
        if style == "quoted":
            return self.quoted(text, (0, 1, 1))
        return {"plain": text, "null": "null", "tilde": "~"}[style]

    def folded(self, text: str, indent: str = "  ", width: int = 76) -> list[str]:
        """Split text into lines for a multi-line scalar continued on indented lines."""
        lines, current = [], ""
        for word in text.split():
            if current and len(current) + len(word) + 1 > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
        return [lines[0]] + [indent + line for line in lines[1:]]

    def credits(self, key: str, max_people: int, flow_empty_share: float) -> list[str]:
        """A `with:`/`written_with:` entry: `[]`, `~` or a block list of people."""
        roll = self.rng.random()
        if roll < flow_empty_share:
            return [f"{key}: []"]
        if roll < flow_empty_share + 0.08:
            return [f"{key}: ~"]
        lines = [f"{key}:"]
        for person in self.rng.sample(self.guests, self.rng.randint(1, max_people)):
            lines += [
                f"  - name: {person.name}",
                f"    link: {self.quoted(f'https://social.example.org/{person.handle}')}",
                f"    image: {self.quoted(f'https://unavatar.io/github/{person.handle}')}",
            ]
        return lines

    def tag_list(self, low: int, high: int) -> list[str]:
        return self.rng.sample(TAGS, self.rng.randint(low, high))

    def event_days(self, moment: datetime.datetime) -> str:
        month = calendar.month_name[moment.month]
        if self.rng.random() < 0.5:
            return f"{month} {moment.day} {moment.year}"
        return f"{month[:3]} {moment.day}-{moment.day + 1}, {moment.year}"

    # -- bodies --------------------------------------------------------------------

    def body(self, images: Sequence[str] = (), mainmatter: bool = False) -> str:
        """300-800 words (or body_words ±20%) of Markdown: sections, lists, one code fence,
        links, images."""
        if self.body_words is None:
            target = self.rng.randint(300, 800)
        else:
            target = self.rng.randint(round(self.body_words * 0.8), round(self.body_words * 1.2))
        blocks = [self.paragraph()]
        if mainmatter and self.rng.random() < 0.25:
            blocks.append("<!--break-->")
        code_at = self.rng.randint(1, 3)
        section = 0
        images = list(images)
        while sum(len(block.split()) for block in blocks) < target:
            section += 1
            level = "##" if section % 3 else "###"
            blocks.append(f"{level} {' '.join(self.words(2, 5)).capitalize()}")
            blocks.append(self.paragraph())
            if section == code_at:
                blocks.append(self.code_fence(mainmatter))
            roll = self.rng.random()
            if roll < 0.3:
                blocks.append("\n".join(f"- {' '.join(self.words(3, 8))}" for _ in range(4)))
            elif roll < 0.45:
                blocks.append(
                    "\n".join(f"{i}. {self.sentence()}" for i in range(1, self.rng.randint(3, 5)))
                )
            elif roll < 0.55:
                blocks.append("> " + self.sentence())
            if images and self.rng.random() < 0.6:
                name = images.pop()
                blocks.append(f"![{' '.join(self.words(2, 5))}](./{name})")
            blocks.append(self.paragraph())
        for name in images:  # every image handed in is referenced once
            blocks.append(f"![{' '.join(self.words(2, 5))}](./{name})")
        return "\n\n".join(blocks) + "\n"

    def code_fence(self, mainmatter: bool) -> str:
        language = self.rng.choice(CODE_LANGUAGES)
        lines = []
        for _ in range(self.rng.randint(3, 9)):
            name, value = self.rng.choice(WORDS), self.rng.choice(WORDS)
            if language in {"python", "bash", "yaml"}:
                lines.append(f'{name}_{value} = "{self.rng.choice(VERBS)}"')
            else:
                lines.append(f'let {name}_{value} = "{self.rng.choice(VERBS)}";')
        fence = f"```{language}\n" + "\n".join(lines) + "\n```"
        if mainmatter and self.rng.random() < 0.3:
            return "{% raw %}\n" + fence + "\n{% endraw %}"
        return fence

    # -- writing -------------------------------------------------------------------

    def write(self, relative: str, head: list[str], body: str, key: str) -> None:
        path = self.outdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "---\n" + "\n".join(head) + "\n---\n\n" + body
        if self.rng.random() < 0.1:
            text = text.rstrip("\n")  # real files often lack a final newline
        path.write_bytes(text.encode("utf-8"))
        self.summary.markdown_files[key] += 1

    def write_images(self, folder: Path, names: dict[str, str]) -> None:
        """Copy the in-memory PNGs into a bundle: {file name there: PNG_SPECS key}."""
        folder.mkdir(parents=True, exist_ok=True)
        for target, source in names.items():
            (folder / target).write_bytes(self.images[source])
            self.summary.image_files += 1

    def wants_images(self) -> bool:
        self.bundles_written += 1
        return self.bundles_written % IMAGE_EVERY == 0

    # -- mainmatter ----------------------------------------------------------------

    def mainmatter(self, count: int) -> None:
        authors_count = min(max(1, count // 60), 12) if count > 1 else 0
        authors = self._people(authors_count + 3)[3:] if authors_count else []
        handles = [f"{person.handle[:8]}_{index}" for index, person in enumerate(authors)]
        for person, handle in zip(authors, handles, strict=True):
            self.mainmatter_author(person, handle)
        for _ in range(count - len(authors)):
            self.mainmatter_post(self.rng.choice(handles) if handles else "solo_writer")

    def mainmatter_author(self, person: Person, handle: str) -> None:
        head = [
            f'name: "{person.name}"',
            f"github: {handle}",
            f"twitter: {handle}",
            f'mastodon: "@{handle}@social.example.org"',
            f"bluesky: {handle}.bsky.example.org",
            f'bio: "{" ".join(self.words(3, 6)).capitalize()}"',
            f"title: {' '.join(self.words(2, 3)).title()}",
            f"longBio: {self.paragraph().replace(': ', ' ')}",
        ]
        self.write(f"mainmatter/authors/{handle}.md", head, "", "mainmatter author")

    def mainmatter_post(self, handle: str) -> None:
        title = self.title()
        slug = self.slug_for(title)
        if self.rng.random() < 0.05:
            slug = slug.replace("-", ".", 1).capitalize()  # `Ember.js-in-2021…`-style
        moment = self.moment()
        stem = f"{moment:%Y-%m-%d}-{slug}"
        with_images = self.wants_images()
        head = [f"title: {self.quoted(title, (1, 2, 4))}", f"authorHandle: {handle}"]
        tags = self.tag_list(1, 3)
        roll = self.rng.random()
        if roll < 0.5:
            head.append(f"tags: {tags[0]}")
        elif roll < 0.8:
            head.append(f"tags: [{', '.join(tags)}]")
        else:
            head.append(f"topic: {tags[0]}")
        head.append(f"bio: {self.quoted(' '.join(self.words(3, 6)).title(), (0, 1, 4))}")
        description = " ".join(self.words(18, 40))
        if self.rng.random() < 0.5:
            head += ["description:", '  "' + "\n  ".join(self.folded(description, "")) + '"']
        else:
            head.append(f"description: {self.quoted(description, (0, 1, 4))}")
        if with_images:
            head += ["og:", f"  image: /assets/images/posts/{stem}/og-image.png"]
        if self.rng.random() < 0.8:
            head += ["tagline: |", f"  <p>{' '.join(self.words(12, 30))}</p>"]
            if self.rng.random() < 0.3:
                head.append("")  # a blank line before the next key, as real files have
        if with_images:
            head += [
                f'image: "/assets/images/posts/{stem}/header.png"',
                f'imageAlt: "{" ".join(self.words(3, 8)).capitalize()}"',
            ]
            folder = self.outdir / "mainmatter" / "assets" / "images" / "posts" / stem
            self.write_images(folder, {"header.png": "header.png", "og-image.png": "chart.png"})
        self.write(
            f"mainmatter/posts/{stem}.md", head, self.body(mainmatter=True), "mainmatter post"
        )

    # -- loige 2021 ----------------------------------------------------------------

    def loige_2021(self, count: int) -> None:
        for _ in range(count):
            if self.rng.random() < self.talk_shares["loige-2021"]:
                self.loige_2021_talk()
            else:
                self.loige_2021_post()

    def loige_2021_talk(self) -> None:
        title, moment, author = self.title(), self.moment(), self.rng.choice(self.loige_authors)
        slug = self.slug_for(title)
        city = self.rng.choice(CITIES)
        head = [
            f"uuid: {self.new_uuid()}",
            "layout: speaking",
            f"title: {self.quoted(title, (0, 3, 2))}",
            f"slug: {self.quoted(slug, (0, 7, 3))}",
            f"date: {self.timestamp(moment)}",
            f"author: {author.name}",
            f"author_slug: {author.slug}",
            "header_img: null",
            "status: published",
            "language: en_US",
        ]
        if self.rng.random() < 0.5:
            head.append("presentation_language: en_US")
        head += [
            "meta_title: null",
            "meta_description: null",
            f"event_name: {self.quoted(' '.join(self.words(2, 3)).title() + ' Conf', (2, 4, 4))}",
            f"event_link: {self.quoted(self.url('events'), (0, 7, 3))}",
            f"event_location: {self.quoted(f'{self.title()} Hall, {city[0]}', (0, 1, 1))}",
            f"event_location_gps: {self.gps(city, (0, 4, 5, 0))}",
            f"event_city: {self.quoted(city[0].split(',')[0], (0, 1, 1))}",
            f"event_days: {self.quoted(self.event_days(moment), (0, 2, 1))}",
            f"is_workshop: {'true' if self.rng.random() < 0.15 else 'false'}",
            f"slides_link: {self.link_or_null('slides', (1, 5, 2, 2, 2))}",
            f"video_link: {self.link_or_null('video', (1, 3, 2, 3, 2))}",
        ]
        head += self.credits("with", 3, 0.45)
        self.write(
            f"loige-2021/speaking/{moment:%Y-%m-%d}_{slug}/index.md",
            head,
            self.body(),
            "loige-2021 talk",
        )

    def link_or_null(self, kind: str, weights: tuple[int, int, int, int, int]) -> str:
        """A link in one of three styles, or `null` / `~`."""
        style = self.rng.choices(["plain", "dq", "sq", "null", "tilde"], weights=weights)[0]
        if style == "null":
            return "null"
        if style == "tilde":
            return "~"
        url = self.url(kind)
        return {"plain": url, "dq": f'"{url}"', "sq": f"'{url}'"}[style]

    def loige_2021_post(self) -> None:
        title, moment, author = self.title(), self.moment(), self.rng.choice(self.loige_authors)
        slug = self.slug_for(title)
        folder = f"loige-2021/posts/{moment:%Y-%m-%d}_{slug}"
        with_images = self.wants_images()
        updated = moment + datetime.timedelta(days=self.rng.randint(0, 400))
        if ": " in title:
            title_lines = ["title: >-", f"  {title}"]
        else:
            title_lines = [f"title: {self.quoted(title, (6, 0, 1))}"]
        head = [f"uuid: {self.new_uuid()}", "layout: post", *title_lines, f"slug: {slug}"]
        if self.rng.random() < 0.15:
            head.append(f"subtitle: {' '.join(self.words(6, 12))}")
        else:
            head.append("subtitle: null")
        head += [
            f"date: {self.timestamp(moment, quote_share=0.15)}",
            f"updated: {self.timestamp(updated, quote_share=0.15)}",
            f"author: {author.name}",
            f"author_slug: {author.slug}",
        ]
        if with_images:
            head += [
                "header_img: ./header.png",
                "fb_img: ./header-fb.png",
                "tw_img: ./header-tw.png",
            ]
        else:
            head += ["header_img: null", "fb_img: null", "tw_img: null"]
        head += ["status: published", "language: en_US", "meta_title: null"]
        head.append("meta_description: null")
        head.append("tags:")
        head += [f"  - {tag}" for tag in self.tag_list(1, 4)]
        if self.rng.random() < 0.12:
            head += self.credits("written_with", 2, 0.5)
        body_images = []
        if with_images:
            body_images = ["diagram.png"]
            self.write_images(
                self.outdir / folder,
                {
                    "header.png": "header.png",
                    "header-fb.png": "header-fb.png",
                    "header-tw.png": "header-tw.png",
                    "diagram.png": "diagram.png",
                },
            )
        self.write(f"{folder}/index.md", head, self.body(body_images), "loige-2021 post")

    # -- loige 2025 ----------------------------------------------------------------

    def loige_2025(self, count: int) -> None:
        for _ in range(count):
            if self.rng.random() < self.talk_shares["loige-2025"]:
                self.loige_2025_talk()
            else:
                self.loige_2025_post()

    def loige_2025_talk(self) -> None:
        title, moment = self.title(), self.moment()
        slug = self.slug_for(title)
        city = self.rng.choice(CITIES)
        head = [
            f"title: {self.quoted(title, (8, 2, 1))}",
            f"slug: {self.quoted(slug, (14, 1, 0))}",
            f"date: {self.timestamp(moment, quote_share=0.05)}",
            "status: published",
            "language: en_US",
            f"event_name: {' '.join(self.words(2, 3)).title()} Summit",
            f"event_link: {self.link_or_null('events', (15, 0, 2, 1, 0))}",
            f"event_location: {self.title().replace(': ', ' ')} Centre, {city[0]}",
            f"event_location_gps: {self.gps(city, (8, 2, 6, 1))}",
            f"event_city: {city[0]}",
            f"event_days: {self.event_days(moment)}",
            f"is_workshop: {'true' if self.rng.random() < 0.15 else 'false'}",
            f"slides_link: {self.link_or_null('slides', (10, 0, 2, 3, 1))}",
        ]
        if self.rng.random() < 0.7:
            head.append(f"embed_slides: 'https://slides.com/speaker/deck-{self.serial}/embed'")
        head.append(f"video_link: {self.link_or_null('video', (8, 0, 1, 6, 1))}")
        head += self.credits("with", 3, 0.6)
        if self.rng.random() < 0.03:
            head += [
                f"podcast_link: {self.url('podcast')}",
                f"podcast_embed: 'https://widget.spreaker.com/player?episode_id={self.serial}'",
            ]
        self.write(
            f"loige-2025/speaking/{moment:%Y-%m-%d}_{slug}.md",
            head,
            self.body(),
            "loige-2025 talk",
        )

    def loige_2025_post(self) -> None:
        title, moment = self.title(), self.moment()
        slug = self.slug_for(title)
        folder = f"loige-2025/posts/{moment:%Y-%m-%d}_{slug}"
        with_images = self.wants_images()
        updated = moment + datetime.timedelta(days=self.rng.randint(0, 400))
        subtitle = " ".join(self.words(8, 24))
        description = " ".join(self.words(20, 45))
        head = [
            f"title: {self.quoted(title, (8, 1, 1))}",
            f"slug: {slug}",
            "subtitle: " + "\n".join(self.folded(subtitle)),
            f"date: {self.timestamp(moment)}",
            f"updated: {self.timestamp(updated)}",
        ]
        if with_images:
            head.append("header_img: ./header.png")
        head.append(f"status: {'draft' if self.rng.random() < 0.03 else 'published'}")
        head.append("tags:")
        head += [f"  - {tag}" for tag in self.tag_list(1, 4)]
        head.append("description: " + "\n".join(self.folded(description)))
        if self.rng.random() < 0.1:
            head += self.credits("written_with", 2, 0.5)
        if self.rng.random() < 0.2:
            head.append(f"bluesky_url: https://bsky.example.org/post/{self.serial}")
        body_images = []
        if with_images:
            body_images = ["diagram.png", "chart.png"]
            self.write_images(
                self.outdir / folder,
                {
                    "header.png": "header.png",
                    "diagram.png": "diagram.png",
                    "chart.png": "chart.png",
                },
            )
        self.write(f"{folder}/index.md", head, self.body(body_images), "loige-2025 post")


def generate(
    n: int,
    outdir: str | Path,
    seed: int = 0,
    body_words: int | None = None,
    talk_share: float | None = None,
) -> CorpusSummary:
    """Write a corpus of exactly `n` Markdown files under `outdir` (empty or missing).

    `body_words`: bodies of that many words ±20% (default 300-800); `talk_share`: about that
    share of all files are talks (default about 44%, at most 0.7)."""
    if body_words is not None and body_words < 1:
        raise ValueError("body_words must be at least 1")
    if talk_share is not None and not 0 <= talk_share <= LOIGE_SHARE:
        raise ValueError(f"talk_share must be between 0 and {LOIGE_SHARE:.1f}")
    root = Path(outdir)
    if root.exists() and any(root.iterdir()):
        raise ValueError(f"{root}: is not empty")
    root.mkdir(parents=True, exist_ok=True)
    writer = CorpusWriter(root, seed, body_words, talk_share)
    counts = split_counts(n)
    writer.mainmatter(counts["mainmatter"])
    writer.loige_2021(counts["loige-2021"])
    writer.loige_2025(counts["loige-2025"])
    assert writer.summary.total == n, (writer.summary.total, n)
    return writer.summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of Markdown files to write")
    parser.add_argument("outdir", type=Path, help="empty or missing folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--body-words", type=int, help="words per body, ±20%% (default: 300 to 800)"
    )
    parser.add_argument(
        "--talk-share",
        type=float,
        help=f"share of all files that are talks, 0 to {LOIGE_SHARE:.1f} (default: about 0.44)",
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must not be negative")
    try:
        summary = generate(args.n, args.outdir, args.seed, args.body_words, args.talk_share)
    except ValueError as error:
        parser.error(str(error))
    for key, count in sorted(summary.markdown_files.items()):
        print(f"{count:>7}  {key}")
    print(
        f"{summary.total:>7}  Markdown files, {summary.image_files} image files in {args.outdir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
