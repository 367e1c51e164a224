"""Small sites of every format, written into a folder for a test to import."""

from pathlib import Path

from tests.publishing.builders import (
    mainmatter_post_text,
    png_bytes,
    talk_bundle_text,
    talk_text,
    write_file,
)


def write_site(root: Path, talks: int = 6) -> Path:
    """Talks in both loige formats (guests, tags, GPS), a post bundle with a header image
    and a body image, a mainmatter post and its author's profile."""
    for number in range(talks):
        write_file(
            root,
            f"speaking/2024-03-{number + 1:02d}_talk-{number}.md",
            talk_text(
                title=f"'Talk {number}'",
                slug=f"talk-{number}",
                tags=f"[streams, talk-{number % 2}]",
                **{"with": f"\n  - name: Guest {number % 3}\n  - name: Guest {number % 3 + 1}"},
            ),
        )
    write_file(
        root,
        "speaking/2019-10-17_bundle/index.md",
        talk_bundle_text(body="A body with a [link](https://example.com/a) and `code`.\n"),
    )
    write_file(root, "posts/2020-05-04_png/png-header.png", png_bytes(color="red"))
    write_file(root, "posts/2020-05-04_png/diagram.png", png_bytes(color="blue"))
    write_file(
        root,
        "posts/2020-05-04_png/index.md",
        "---\nuuid: 9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d\nlayout: post\ntitle: PNG\n"
        "slug: png\ndate: 2020-05-04T10:00:00.000Z\nheader_img: ./png-header.png\n"
        "tags:\n  - images\n---\n\nSee ![the diagram](./diagram.png).\n\n```python\nx = 1\n```\n",
    )
    write_file(root, "posts/2024-02-12-why-we-pin.md", mainmatter_post_text())
    write_file(root, "authors/janeexample.md", "---\nname: Jane Example\n---\n")
    return root
