"""Reading the sitemap as a search engine does: the index, then every page of its sections."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def local_path(url: str) -> str:
    """The path and query of an absolute URL, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def sitemap_index(client) -> list[ET.Element]:
    """The <sitemap> entries of /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return root.findall(f"{SITEMAP}sitemap")


def sitemap_page(client, url: str) -> list[ET.Element]:
    """The <url> entries of one page of a section."""
    response = client.get(local_path(url))
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    return root.findall(f"{SITEMAP}url")


def sitemap_entries(client) -> dict[str, ET.Element]:
    """Every <url> the sitemap lists, by its <loc>, following the index."""
    return {
        url.findtext(f"{SITEMAP}loc"): url
        for section in sitemap_index(client)
        for url in sitemap_page(client, section.findtext(f"{SITEMAP}loc"))
    }
