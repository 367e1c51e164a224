"""A small Jekyll site, written the way Jekyll's documentation writes posts: front matter
between `---` lines, `_posts/YYYY-MM-DD-slug.md` (or `.markdown`), dates with a time and
an offset, tags as a list or a space-separated string."""

from __future__ import annotations

from pathlib import Path

from tests.publishing.builders import png_bytes, write_file

WELCOME = """\
---
layout: post
title:  "Hello from the new blog"
date:   2024-03-18 09:30:00 +0100
categories: Release notes
---
This site is built from plain text files. Each post lives in `_posts` and is named after
its date and its slug.

```ruby
def greet(name) = puts("Hello, #{name}")
```
"""

EDGE = """\
---
layout: post
title: Caching at the edge
author: Jane Doe
tags: [performance, cdn]
excerpt: How a cache in front of the app halved the time to first byte.
image: /assets/images/edge.png
permalink: /articles/:title/
redirect_from:
  - /blog/edge-caching/
  - /2023/11/edge.html
last_modified_at: 2024-01-05 10:00:00 +0000
lang: en
---
We put a cache in front of the application servers.

![The request path through the cache](/assets/images/edge.png)
"""

NOTES = """\
---
title: Notes to self
tags: notes jekyll
published: false
---
Not ready yet.
"""

FILES = {
    "_posts/2024-03-18-hello-from-the-new-blog.markdown": WELCOME,
    "_posts/2023-11-02-caching-at-the-edge.md": EDGE,
    "_posts/2022-05-01-notes-to-self.md": NOTES,
}
IMAGE = "assets/images/edge.png"


def write_jekyll_site(root: Path) -> Path:
    """The site's posts and the image they refer to, under `root`; returns `root`."""
    for relpath, text in FILES.items():
        write_file(root, relpath, text)
    write_file(root, IMAGE, png_bytes((12, 8), "orange"))
    # Jekyll's own files beside the posts: not posts, never read.
    write_file(root, "_config.yml", "title: A Jekyll blog\npermalink: date\n")
    write_file(root, "_drafts/idea.markdown", "---\ntitle: An idea\n---\nLater.\n")
    return root
