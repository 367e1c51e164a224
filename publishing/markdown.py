"""The project's one Markdown pipeline: CommonMark source in, sanitized HTML out.

The content comes from Eleventy (markdown-it) and Gatsby/Astro (remark) sites, so the
renderer is markdown-it-py in CommonMark mode: a list right after a paragraph is a list,
2-space nested lists nest, and heading ids match the GitHub-style slugs that existing
posts already link to. Sources carry raw HTML (embeds, figures, taglines), so the
rendered HTML always goes through one nh3 allowlist before anyone stores or shows it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import unescape
from types import MappingProxyType
from urllib.parse import urlsplit

import nh3
from django.utils.html import strip_tags
from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_RE, escapeHtml, mdTrim, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors.index import slugify as github_slug
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from publishing.links import embeddable_url

__all__ = [
    "MAX_MARKDOWN_CHARS",
    "MarkdownTooComplex",
    "Rendered",
    "check_markdown",
    "plain_text",
    "referenced_urls",
    "render_document",
    "render_excerpt",
    "render_markdown",
    "text_of_rendered",
]

# --- Sanitizer allowlist -------------------------------------------------------------

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        # text and inline
        "p", "br", "hr", "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark",
        "small", "sup", "sub", "code", "kbd", "samp", "var", "abbr", "cite", "q", "time",
        "span", "wbr",
        # blocks
        "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "div", "section",
        "aside", "ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
        # tables
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
        # media (iframe sources are further restricted to publishing.links.EMBED_HOSTS)
        "img", "figure", "figcaption", "picture", "video", "audio", "source", "iframe",
    }
)  # fmt: skip

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# id: heading anchors, footnotes (li#fn1, a#fnref1) and {#id} from the attrs plugins.
_ID_TAGS = (*_HEADINGS, "a", "li", "sup", "section", "div", "span", "p", "figure", "table")
# class: Pygments and language-* on code, footnote markup, {.class} from the attrs plugins.
_CLASS_TAGS = (
    *_HEADINGS, "a", "code", "pre", "span", "div", "p", "img", "figure", "section", "aside",
    "ol", "ul", "li", "sup", "hr", "blockquote", "table",
)  # fmt: skip

_attributes: dict[str, set[str]] = {
    "*": {"title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {
        "src", "width", "height", "title", "allow", "allowfullscreen", "frameborder",
        "loading", "referrerpolicy",
    },
    "video": {
        "src", "poster", "controls", "width", "height", "preload", "muted", "loop",
        "playsinline",
    },
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type", "media"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
    "time": {"datetime"},
    "details": {"open"},
}  # fmt: skip
for _tag in _ID_TAGS:
    _attributes.setdefault(_tag, set()).add("id")
for _tag in _CLASS_TAGS:
    _attributes.setdefault(_tag, set()).add("class")
ALLOWED_ATTRIBUTES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {tag: frozenset(names) for tag, names in _attributes.items()}
)
del _attributes, _tag

# Table column alignment, as a value-checked attribute instead of a style (see
# _table_align_to_attribute).
ALLOWED_ATTRIBUTE_VALUES: MappingProxyType[str, dict[str, set[str]]] = MappingProxyType(
    {tag: {"align": {"left", "center", "right"}} for tag in ("th", "td")}
)

# Dropped together with their content: their text is code or CSS, never prose.
CLEAN_CONTENT_TAGS: frozenset[str] = frozenset({"script", "style", "template"})

# Relative URLs stay allowed (nh3's default): bodies use "./diagram.png" and "/assets/...".
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3 hook: an iframe keeps its ``src`` only when it points at an allowed embed host."""
    if tag == "iframe" and attribute == "src":
        return embeddable_url(value)
    return value


# nh3 re-serializes everything it returns: tags and attribute names are lower-case,
# values are double-quoted with '"', '<' and '>' escaped, and every iframe is closed
# with "</iframe>" (its content is raw text, so it cannot contain that string). So a
# regex over the *sanitized* output sees real tags only, which it could not on the input.
_IFRAME_RE = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.DOTALL)


def _finish_iframe(match: re.Match[str]) -> str:
    # Without an allowed src an iframe is an empty box, so it goes away entirely. With one,
    # its content goes too: browsers ignore it, but nh3 passes it through as raw text
    # (e.g. "<script>"), which is dangerous wherever it is re-parsed (feeds, e-mails).
    attributes = match.group(1)
    return f"<iframe{attributes}></iframe>" if ' src="' in attributes else ""


# Built once: the allowlist never changes between calls.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    tag_attribute_values=dict(ALLOWED_ATTRIBUTE_VALUES),
    attribute_filter=_filter_attribute,
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel="noopener noreferrer",
)


def _sanitize(html: str) -> str:
    """Run rendered HTML through the allowlist; the output is stable under a second pass."""
    return _IFRAME_RE.sub(_finish_iframe, _CLEANER.clean(html))


# --- Syntax highlighting ---------------------------------------------------------------

# Fence names used by the source sites that Pygments knows under another name.
_LEXER_ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "njk": "jinja",
        "nunjucks": "jinja",
        "hbs": "handlebars",
        "gjs": "javascript",
        "gts": "typescript",
        "plaintext": "text",
        "svelte": "html",
        "astro": "html",
    }
)
_FORMATTER = HtmlFormatter(nowrap=True)


@functools.lru_cache(maxsize=256)
def _lexer(name: str):
    """Pygments searches its whole registry for a name; bodies reuse a few names."""
    return get_lexer_by_name(name)


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """markdown-it ``highlight`` hook: a Pygments-coloured ``<pre>`` or "" for plain code.

    markdown-it uses a result starting with ``<pre`` as is; "" makes it fall back to the
    escaped code in ``<pre><code>``, which is what an unknown language should get.
    """
    if not lang:
        return ""
    try:
        lexer = _lexer(_LEXER_ALIASES.get(lang.lower(), lang))
    except ClassNotFound:
        return ""
    body = pygments_highlight(code, lexer, _FORMATTER)
    return f'<pre class="highlight"><code class="language-{escapeHtml(lang)}">{body}</code></pre>'


# --- Code blocks -------------------------------------------------------------------------

# A language as a label: a name as languages are written ("python", "c++", "objective-c",
# "f#", "shell-session"), never whatever else an info string holds.
_LANGUAGE_NAME_RE = re.compile(r"[A-Za-z0-9][\w+#.-]{0,31}", re.ASCII)


def _language_label(name: str) -> str | None:
    return name if _LANGUAGE_NAME_RE.fullmatch(name) else None


def _fence_language(info: str) -> str:
    """The language of a fence's info string, read as markdown-it reads it for the
    ``language-*`` class: the first word, escapes and character references decoded."""
    info = mdTrim(unescapeAll(info)) if info else ""
    return MD_TRIM_RE.split(info, maxsplit=1)[0] if info else ""


def _code_block(self: RendererHTML, tokens: list, idx: int, options, env: dict) -> str:
    """markdown-it render rule for fenced and indented code: the block in a wrapper,
    headed by its language when the fence names one. static/js/code-copy.js adds a copy
    button to each wrapper."""
    token = tokens[idx]
    if token.type == "fence":
        pre = RendererHTML.fence(self, tokens, idx, options, env).removesuffix("\n")
        language = _language_label(_fence_language(token.info))
    else:
        pre = RendererHTML.code_block(self, tokens, idx, options, env).removesuffix("\n")
        language = None
    label = f'<div class="code-language">{escapeHtml(language)}</div>' if language else ""
    return f'<div class="code-block">{label}{pre}</div>\n'


# Each <pre> tag of sanitized HTML, and the class of a <code> right inside it.
_PRE_RE = re.compile(r'<pre\b([^>]*)>(?=(?:<code class="([^"]*)")?)')
_LANGUAGE_CLASS_RE = re.compile(r"(?:^| )language-(\S+)")


def _focusable_code(html: str) -> str:
    """Let keyboard users reach every code block, which scrolls sideways rather than
    wrap: each <pre> is a tab stop, named for screen readers ("Code, python").

    Added after sanitizing, so that the allowlist grants authors no tabindex or ARIA
    attribute. Runs on sanitized output, whose attributes are double-quoted and escaped.
    """
    if "<pre" not in html:
        return html

    def focusable(match: re.Match[str]) -> str:
        language_class = _LANGUAGE_CLASS_RE.search(unescape(match.group(2) or ""))
        language = _language_label(language_class.group(1)) if language_class else None
        name = f"Code, {language}" if language else "Code"
        return f'<pre{match.group(1)} tabindex="0" role="group" aria-label="{escapeHtml(name)}">'

    return _PRE_RE.sub(focusable, html)


# --- Limits ----------------------------------------------------------------------------

# What rendering may cost is bounded here, before the work is done: markdown-it-py spends
# 10-30 µs per token, so a body of dense markup costs up to about 15 µs per character, and
# some constructs cost more (html5ever checks the stack of open elements for each tag, so
# deep HTML costs tags times depth; a table row gets as many cells as its header).
# The largest real body (of the three imported sites and the demo) is 25,250 characters
# and 530 lines, its deepest HTML 16 elements; the limits leave room above that while
# keeping the worst input known under a second of CPU time (bench/hostile_rendering.py).
# They are constants, not settings: the time bound holds only for these values.
MAX_MARKDOWN_CHARS = 50_000
# Block parsing costs up to ~100 µs a line (a list item); 6,000 lines leave room for long
# code listings.
MAX_MARKDOWN_LINES = 6_000
# Each "[" outside code costs ~50 µs (the parser tries a link label from it, nesting its
# attempts), five times any other character; real bodies have at most 109.
MAX_BRACKETS = 2_000
MAX_HTML_DEPTH = 100
MAX_TABLE_CELLS = 5_000  # all tables of a document together
MAX_FOOTNOTES = 500


class MarkdownTooComplex(ValueError):
    """Markdown refused before rendering because it would cost too much to render.

    `message` says what is too large and what is allowed; `line` is the line of the
    Markdown text where it is, when one line can be named.
    """

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def _line(token) -> int | None:
    return token.map[0] + 1 if token.map else None


# A table's delimiter row as markdown-it accepts it (its line may sit in a blockquote):
# "|", "-", ":" and spaces only, at least one "-".
_DELIMITER_ROW_RE = re.compile(r"[\s>]*([-:|][-:|\s]*)")


def _check_source(source: str) -> None:
    """Checks of the raw text, before any parsing: its size, its lines, and the cells its
    tables would have. markdown-it gives every row of a table as many cells as the header
    has (up to 65,536 made-up ones), so the cells are counted from the delimiter row's
    columns and the lines that follow it, an upper bound of what the parser will build."""
    if len(source) > MAX_MARKDOWN_CHARS:
        raise MarkdownTooComplex(
            f"the text is {len(source):,} characters long; at most {MAX_MARKDOWN_CHARS:,} "
            "can be rendered"
        )
    line_count = source.count("\n") + (not source.endswith("\n"))
    if line_count > MAX_MARKDOWN_LINES:
        raise MarkdownTooComplex(
            f"the text has {line_count:,} lines; at most {MAX_MARKDOWN_LINES:,} can be rendered"
        )
    lines = source.split("\n")
    cells = 0
    rows_after = 0  # non-blank lines after the current one, counted from the end
    for number in range(len(lines) - 1, -1, -1):
        line = lines[number]
        # markdown-it also wants a "|" in the header row, which rules out rules and
        # setext headings ("Title" over "---").
        is_table = number > 0 and "-" in line and "|" in lines[number - 1]
        match = _DELIMITER_ROW_RE.fullmatch(line) if is_table else None
        if match:
            columns = sum(1 for part in match.group(1).split("|") if part.strip())
            cells += columns * (rows_after + 1)
            if cells > MAX_TABLE_CELLS:
                raise MarkdownTooComplex(
                    f"the tables would have more than {MAX_TABLE_CELLS:,} cells in all",
                    max(1, number),  # the header row, just above the delimiter row
                )
        rows_after = rows_after + 1 if line.strip(" \t>") else 0


def _check_blocks(state: StateCore) -> None:
    """Core rule between block and inline parsing: refuse what the inline parser would
    spend too long on, before it starts."""
    footnotes = 0
    brackets = 0
    for token in state.tokens:
        if token.type == "inline":
            brackets += token.content.count("[")
            if brackets > MAX_BRACKETS:
                raise MarkdownTooComplex(
                    f'more than {MAX_BRACKETS:,} "[" outside code (links, images, footnotes)',
                    _line(token),
                )
        elif token.type == "footnote_reference_open":
            footnotes += 1
            if footnotes > MAX_FOOTNOTES:
                raise MarkdownTooComplex(f"more than {MAX_FOOTNOTES:,} footnotes", _line(token))


# A tag as an HTML tokenizer sees one: "<" or "</", then a letter and the name's other
# characters (anything up to whitespace, "/" or ">").
_TAG_RE = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
# A start tag of one of these closes an open element of the same name on top of the stack.
_SELF_CLOSING_SIBLINGS = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody", "tfoot"}
)


def _check_html_depth(state: StateCore) -> None:
    """Core rule after inline parsing: refuse raw HTML nested deeper than MAX_HTML_DEPTH.

    html5ever's tree building checks the stack of open elements for each tag, so its
    time grows with tags × depth. The depth counted here is Markdown's own nesting plus a
    stack of the raw tags, where an end tag closes up to its open element and is ignored
    without one. That is never less than what the sanitizer builds from the same HTML
    (it only closes more elements), so bounding it bounds the sanitizer.
    """
    stack: list[str] = []
    for token in state.tokens:
        children = token.children if token.type == "inline" else None
        for part in children or (token,):
            if part.type not in ("html_block", "html_inline"):
                continue
            for end, raw_name in _TAG_RE.findall(part.content):
                name = raw_name.lower()
                if end:
                    if name in stack:
                        while stack.pop() != name:
                            pass
                    continue
                if name in _VOID_TAGS:
                    continue
                if stack and stack[-1] == name and name in _SELF_CLOSING_SIBLINGS:
                    continue
                stack.append(name)
                if token.level + part.level + len(stack) > MAX_HTML_DEPTH:
                    raise MarkdownTooComplex(
                        f"HTML nested more than {MAX_HTML_DEPTH} elements deep", _line(token)
                    )


# --- The renderer ----------------------------------------------------------------------


def _heading_ids(state: StateCore) -> None:
    """Give every heading a GitHub-style id ("Identify the problem/s" ->
    "identify-the-problems"), repeats numbered -1, -2, as existing posts link to them.

    The ids are those of mdit_py_plugins' anchors plugin; a counter per slug replaces its
    search from -1 upwards for each repeat, which took minutes for a body of thousands of
    identical headings. Explicit ids ({#id}) are reserved first, whatever their position.
    """
    taken = {
        str(heading_id)
        for token in state.tokens
        if token.type == "heading_open" and (heading_id := token.attrGet("id"))
    }
    next_number: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        inline = state.tokens[index + 1]
        title = "".join(
            child.content
            for child in inline.children or ()
            if child.type in ("text", "code_inline")
        )
        base = github_slug(title)
        slug, number = base, next_number.get(base, 1)
        if base in taken:
            while (slug := f"{base}-{number}") in taken:
                number += 1
            number += 1
        next_number[base] = number
        taken.add(slug)
        token.attrSet("id", slug)


def _heading_outline(state: StateCore) -> None:
    """Fit the body's headings under the page's title (its h1): the body's top level
    becomes h2 and no level is skipped, as screen readers and the contents list read them.
    Siblings stay siblings: "### a, ### b, ## c" becomes three h2, "## a, #### b" an h2
    and an h3. Only the level changes; the Markdown keeps what its author wrote."""
    # (level written, level shown) of the headings enclosing the current one.
    enclosing: list[tuple[int, int]] = []
    shown: dict[int, str] = {}
    for index, token in enumerate(state.tokens):
        if token.type == "heading_open":
            written = int(token.tag[1])
            while enclosing and enclosing[-1][0] >= written:
                enclosing.pop()
            level = enclosing[-1][1] + 1 if enclosing else 2
            level = min(level, 6)
            enclosing.append((written, level))
            shown[index] = token.tag = f"h{level}"
        elif token.type == "heading_close":
            # A heading's tokens are open, inline, close.
            token.tag = shown[index - 2]


def _table_align_to_attribute(state: StateCore) -> None:
    """Turn markdown-it's ``style="text-align:…"`` on table cells into ``align="…"``.

    The sanitizer allows no style attributes at all, and column alignment should survive.
    """
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            if isinstance(style, str) and style.startswith("text-align:"):
                token.attrSet("align", style.removeprefix("text-align:"))


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"html": True, "linkify": False, "typographer": False, "highlight": _highlight},
    )
    md.enable(["table", "strikethrough"])
    # markdown-it leaves a link with a refused URL as literal "[text](javascript:...)".
    # Accepting every URL here makes it an <a>/<img> whose href/src nh3 then drops, so
    # Markdown and raw HTML links share nh3's one URL policy and readers see just "text".
    md.validateLink = lambda url: True
    md.use(footnote_plugin)
    md.use(attrs_plugin)
    md.use(attrs_block_plugin)
    md.add_render_rule("fence", _code_block)
    md.add_render_rule("code_block", _code_block)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("heading_outline", _heading_outline)
    md.core.ruler.push("table_align", _table_align_to_attribute)
    # Between block and inline parsing (after the attrs plugin's own rule there), and
    # right after inline parsing, before the footnotes' tail is built.
    md.core.ruler.after("attr", "check_blocks", _check_blocks)
    md.core.ruler.after("inline", "check_html_depth", _check_html_depth)
    return md


# Built once: configuring markdown-it costs more than rendering a typical post, and
# rendering keeps all per-document state in its own env, so sharing is safe.
_MD = _build_markdown()

# Eleventy ran posts through Nunjucks first, where {% raw %} only kept "{{ }}" literal;
# the markers themselves never reached readers. Only the marker text goes, so line
# numbers, paragraphs and fences stay as the author laid them out.
_NUNJUCKS_RAW_RE = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")

# Mainmatter's excerpt marker, alone on its line.
_BREAK_RE = re.compile(r"^[ \t]*<!--\s*break\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)


# After sanitizing, every URL attribute is double-quoted with "&", "<", ">" and '"' escaped.
_URL_ATTRIBUTE_RE = re.compile(r'\b(src|href|poster)="([^"]*)"')


def _rewrite_urls(html: str, urls: Mapping[str, str]) -> str:
    """Point references to imported files ("./diagram.png") at where they are served."""

    def replace(match: re.Match[str]) -> str:
        target = urls.get(unescape(match.group(2)))
        if target is None:
            return match.group(0)
        return f'{match.group(1)}="{escapeHtml(target)}"'

    return _URL_ATTRIBUTE_RE.sub(replace, html)


_KEPT_IFRAME_RE = re.compile(r"<iframe\b([^>]*)></iframe>")
_ATTRIBUTE_RE = re.compile(r'([a-z-]+)="([^"]*)"')


def _click_to_load(html: str) -> str:
    """Show each (allowed) embedded player as a box with a link and a button that loads
    it (static/js/embeds.js): a page asks nothing of another site until the reader does.

    Runs on sanitized output, whose attributes are double-quoted and escaped.
    """

    def facade(match: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE_RE.findall(match.group(1)))
        src = attributes.get("src", "")
        host = urlsplit(unescape(src)).hostname or ""
        title = attributes.get("title") or "Embedded player"
        return (
            f'<div class="embed"><div class="embed-facade" data-embed-src="{src}" '
            f'data-embed-title="{title}" data-embed-kind="player">'
            f'<p><a class="embed-link" href="{src}" rel="noopener">{title}</a></p>'
            '<div class="embed-load" hidden><button type="button">Load the player here'
            f'</button><p class="embed-note">This loads a player from {escapeHtml(host)}.</p>'
            "</div></div></div>"
        )

    return _KEPT_IFRAME_RE.sub(facade, html)


def _as_browsers_read(escaped_url: str) -> str:
    """A URL of sanitized HTML as a browser reads it: tabs and newlines dropped, "\\" as
    "/" (so "/\\host/x" and "//host/x" are on another host)."""
    return re.sub(r"[\t\n\r]", "", unescape(escaped_url)).strip().replace("\\", "/")


def _is_remote(escaped_url: str) -> bool:
    url = _as_browsers_read(escaped_url)
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc or url.startswith("//"))


def _remote_placeholder(kind: str, escaped_url: str, label: str, in_link: bool) -> str:
    """A box saying what would load from where; a link to it, or inside a link (which
    cannot hold another) the same text with the URL as its title."""
    url = _as_browsers_read(escaped_url)
    host = urlsplit(url if "//" in url else "//" + url.partition(":")[2]).hostname
    text = f"{kind} from {escapeHtml(host or 'another site')}" + (f": {label}" if label else "")
    if in_link:
        return f'<span class="remote-media" title="{escaped_url}">{text}</span>'
    return f'<a class="remote-media" href="{escaped_url}" rel="noopener noreferrer">{text}</a>'


# Video and audio elements whole, images, and link tags (to know when a placeholder
# would land inside a link).
_MEDIA_SCAN_RE = re.compile(
    r"<(video|audio)\b([^>]*)>(.*?)</\1>|<img\b([^>]*)>|<(/?)a\b[^>]*>", re.DOTALL
)
_SOURCE_SRC_RE = re.compile(r'<source\b[^>]*? src="([^"]*)"')
_MEDIA_TAG_RE = re.compile(r"<(video|audio|source)\b([^>]*)>")
_LOADING_ATTRIBUTE_RE = re.compile(r' (src|poster)="([^"]*)"')


def _remote_media(html: str) -> str:
    """Keep pages from loading images, video and audio from other sites: such an image,
    video or audio element becomes a link to it ("Image from example.com: alt text"), a
    poster or source elsewhere is dropped. Local files (imported with the body) stay.

    Runs on sanitized output, whose attributes are double-quoted and escaped."""
    if not any(tag in html for tag in ("<img", "<video", "<audio", "<source")):
        return html  # most bodies: nothing to look at
    open_links = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal open_links
        media, media_attributes, content, img_attributes, closing = match.groups()
        if media is None and img_attributes is None:  # <a> or </a>
            open_links = max(0, open_links - 1) if closing else open_links + 1
            return match.group(0)
        if media:
            attributes = dict(_ATTRIBUTE_RE.findall(media_attributes))
            sources = [attributes.get("src", ""), *_SOURCE_SRC_RE.findall(content)]
            sources = [source for source in sources if source]
            if not sources or not all(_is_remote(source) for source in sources):
                return match.group(0)
            kind, url, label = media.capitalize(), sources[0], attributes.get("title", "")
        else:
            attributes = dict(_ATTRIBUTE_RE.findall(img_attributes))
            url = attributes.get("src", "")
            if not url or not _is_remote(url):
                return match.group(0)
            kind, label = "Image", attributes.get("alt", "")
        return _remote_placeholder(kind, url, label, in_link=open_links > 0)

    def drop_remote(match: re.Match[str]) -> str:
        attributes = _LOADING_ATTRIBUTE_RE.sub(
            lambda found: "" if _is_remote(found.group(2)) else found.group(0), match.group(2)
        )
        return f"<{match.group(1)}{attributes}>"

    return _MEDIA_TAG_RE.sub(drop_remote, _MEDIA_SCAN_RE.sub(replace, html))


# Every quoted attribute value: scanning for the literal `="` first is several times
# faster, on a long body, than a pattern that starts with the attribute's name.
_QUOTED_VALUE_RE = re.compile(r'="([^"]*)"')
# The name before such a value, read from the few characters before it.
_URL_NAMES = ("src", "href", "poster", "srcset")
_URL_NAME_RE = re.compile(r"\b(src|href|poster|srcset)\Z")


def absolute_urls(html: str, base: str) -> str:
    """Make the site-relative URLs of rendered HTML absolute (feeds are read elsewhere),
    those of src, href and poster and each candidate of a srcset."""
    prefix = escapeHtml(base)

    def absolute(value: str) -> str:
        if value.startswith("/") and not value.startswith("//"):
            return prefix + value
        return value

    def replace(match: re.Match[str]) -> str:
        start = match.start()
        if not html.endswith(_URL_NAMES, 0, start):  # most are class="…"
            return match.group(0)
        name = _URL_NAME_RE.search(html, max(0, start - 8), start)
        if name is None:
            return match.group(0)
        value = match.group(1)
        if name.group(1) != "srcset":
            return f'="{absolute(value)}"'
        # Candidates are "URL 480w", comma-separated; rendition URLs have no commas.
        candidates = (candidate.strip().split(" ", 1) for candidate in value.split(","))
        return '="{}"'.format(
            ", ".join(" ".join([absolute(parts[0]), *parts[1:]]) for parts in candidates)
        )

    return _QUOTED_VALUE_RE.sub(replace, html)


# A code block's language label (see _code_block) titles the code for the eye; it is not
# text of the body, so descriptions, snippets and the search index leave it out.
_CODE_LANGUAGE_RE = re.compile(r'<div class="code-language">[^<]*</div>')


def plain_text(html: str) -> str:
    """The text of rendered HTML on one line, for meta descriptions, JSON-LD and search
    snippets: tags and code blocks' language labels dropped, character references decoded
    ("&amp;" is "&", "&lt;div&gt;" is "<div>"), so that it is escaped exactly once where it
    is shown."""
    return " ".join(unescape(strip_tags(_CODE_LANGUAGE_RE.sub(" ", html))).split())


# A whole tag as the sanitizer writes them: its attribute values quoted, and may hold ">".
_SANITIZED_TAG_RE = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def text_of_rendered(html: str) -> str:
    """`plain_text()` of HTML this module rendered (sanitized: whole tags, quoted
    attributes, no comments), found without an HTML parser: several times faster on a
    long body, for search snippets and the search index."""
    text = _SANITIZED_TAG_RE.sub("", _CODE_LANGUAGE_RE.sub(" ", html))
    return " ".join(unescape(text).split())


def referenced_urls(html: str) -> list[tuple[str, str]]:
    """(attribute, URL) pairs of the src/href/poster attributes of rendered HTML, in order,
    as written in the source (the importer looks for the files they point at)."""
    return [(name, unescape(value)) for name, value in _URL_ATTRIBUTE_RE.findall(html)]


@dataclass(frozen=True)
class Rendered:
    """A document's sanitized HTML and the HTML of its excerpt."""

    html: str
    excerpt: str

    def with_urls(self, urls: Mapping[str, str] | None) -> Rendered:
        """The same, with references to imported files pointing where they are served."""
        if not urls:
            return self
        return Rendered(_rewrite_urls(self.html, urls), _rewrite_urls(self.excerpt, urls))


def _finish(html: str) -> str:
    return _remote_media(_click_to_load(_focusable_code(_sanitize(html))))


def _excerpt_tokens(tokens: list, text: str) -> list:
    """The tokens before a ``<!--break-->`` line, else those of the first paragraph."""
    marker = _BREAK_RE.search(text)
    if marker and text[: marker.start()].strip():
        marker_line = text[: marker.start()].count("\n")
        for index, token in enumerate(tokens):
            if (
                token.level == 0
                and token.nesting >= 0
                and token.map
                and (token.map[0] >= marker_line or token.map[1] > marker_line)
            ):
                return tokens[:index]
        return tokens
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            close = next(
                position
                for position in range(index + 1, len(tokens))
                if tokens[position].type == "paragraph_close" and tokens[position].level == 0
            )
            return tokens[index : close + 1]
    return []


def render_document(source: str) -> Rendered:
    """Render Markdown once into the document's HTML and its excerpt's HTML.

    CommonMark plus tables, strikethrough, footnotes, ``{#id .class}`` attributes and
    GitHub-style heading ids; fenced code is highlighted with Pygments. Raw HTML is kept
    within the allowlist, players of embed hosts as click-to-load boxes. Nunjucks
    ``{% raw %}`` markers are left out. The excerpt is everything before a
    ``<!--break-->`` line (Mainmatter's marker) or else the first paragraph; reference
    links defined later in the document work in it. The same source always gives the
    same HTML.

    Raises `MarkdownTooComplex`, before the expensive work, for a text over the limits
    (MAX_MARKDOWN_CHARS and the others above).
    """
    if not source:
        return Rendered("", "")
    _check_source(source)
    if not source.strip():
        return Rendered("", "")
    text = _NUNJUCKS_RAW_RE.sub("", source)
    env: dict = {}
    # One parse serves both: parsing is most of the cost of rendering.
    tokens = _MD.parse(text, env)
    html = _finish(_MD.renderer.render(tokens, _MD.options, env))
    excerpt_tokens = _excerpt_tokens(tokens, text)
    excerpt = (
        _finish(_MD.renderer.render(excerpt_tokens, _MD.options, env)) if excerpt_tokens else ""
    )
    return Rendered(html, excerpt)


def check_markdown(source: str) -> None:
    """Raise `MarkdownTooComplex` if `render_document` would refuse `source`: the same
    checks, without rendering or sanitizing (what validating a form field needs)."""
    if not source:
        return
    _check_source(source)
    _MD.parse(_NUNJUCKS_RAW_RE.sub("", source), {})


def render_markdown(source: str, urls: Mapping[str, str] | None = None) -> str:
    """Render Markdown ``source`` to sanitized HTML; the one way Markdown becomes HTML
    (see `render_document`)."""
    return render_document(source).with_urls(urls).html


def render_excerpt(source: str, urls: Mapping[str, str] | None = None) -> str:
    """Sanitized HTML of the excerpt, for listings and feeds (see `render_document`)."""
    return render_document(source).with_urls(urls).excerpt


# --- Sections of a rendered body -----------------------------------------------------------

# h2 and h3 with an id, as this pipeline renders them (the id is already escaped).
_SECTION_RE = re.compile(r'<h([23])\b([^>]*?)\bid="([^"<>]+)"([^>]*)>(.*?)</h\1>', re.DOTALL)
TOC_MIN_HEADINGS = 3


@dataclass(frozen=True)
class Section:
    level: int  # 2 or 3
    id: str  # as it stands in the HTML: already escaped
    title: str  # plain text


def sections(html: str) -> list[Section]:
    """The h2 and h3 headings of rendered HTML that have an id, in order."""
    return [
        Section(int(match[1]), match[3], " ".join(plain_text(match[5]).split()))
        for match in _SECTION_RE.finditer(html)
    ]


def with_heading_anchors(html: str) -> str:
    """Rendered HTML whose h2 and h3 headings end with a link to themselves (shown on
    hover and focus by the stylesheet), for readers who share a section."""

    def anchored(match: re.Match) -> str:
        level, before, heading_id, after, content = match.groups()
        link = (
            f'<a class="heading-anchor" href="#{heading_id}" '
            f'aria-label="Link to this section">#</a>'
        )
        return f'<h{level}{before}id="{heading_id}"{after}>{content} {link}</h{level}>'

    return _SECTION_RE.sub(anchored, html)
