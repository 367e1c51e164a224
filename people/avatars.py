"""Download people's remote pictures (`Person.avatar_url`) into their stored avatar.

Pages never load a remote picture (a visitor's browser would ask another site for it):
they show stored avatars through renditions, else the person's initial. This engine,
run by an operator through `manage.py fetch_avatars` and never while a page is served,
turns an imported address into a stored avatar, checked and cleaned exactly as an upload
is (`images.fields.clean_uploaded_image`).

Each download is bounded: a time-out (connecting, each read, and the whole download),
the upload size limit (the body is read in chunks and dropped once over it, whatever
Content-Length says), http and https only, redirects included. The addresses come from
other people's files, so by default only public addresses are fetched: the address
checked is the one connected to (after DNS, so a name that resolves to 127.0.0.1 or
169.254.169.254 is refused too), which is why no proxy is used.

A failure is a line in the report, the person unchanged, and the next person fetched.
"""

from __future__ import annotations

import http.client
import ipaddress
import mimetypes
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from posixpath import splitext
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit
from urllib.request import (
    HTTPDefaultErrorHandler,
    HTTPErrorProcessor,
    HTTPHandler,
    HTTPRedirectHandler,
    HTTPSHandler,
    OpenerDirector,
    Request,
    UnknownHandler,
)

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from images.fields import clean_uploaded_image
from images.validation import max_upload_bytes
from people.models import Person
from publishing.links import http_url

DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
USER_AGENT = "talks-and-posts fetch_avatars"
# Content types that say nothing of the format: the address's extension then names it,
# as a file name does for an upload.
GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}


class FetchError(Exception):
    """Why a picture could not be fetched, in one line."""


@dataclass
class FetchReport:
    """One line per person: who was fetched, skipped or failed, and why."""

    fetched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        fetched = "checked" if self.dry_run else "fetched"
        return (
            f"{fetched} {len(self.fetched)}, skipped {len(self.skipped)}, "
            f"failed {len(self.failed)}"
        )


def fetch_avatars(
    people: Iterable[Person] | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    allow_private: bool = False,
) -> FetchReport:
    """Download the remote picture of each person (everyone with an avatar URL unless
    `people` is given) into their stored avatar.

    People with an uploaded avatar are skipped unless `force`; `dry_run` downloads and
    checks but stores nothing; `allow_private` also fetches from private, loopback and
    link-local addresses (an intranet, or a test server)."""
    if people is None:
        people = Person.objects.exclude(avatar_url="").order_by("name", "pk")
    report = FetchReport(dry_run=dry_run)
    for person in people:
        url = http_url(person.avatar_url)
        if url is None:
            report.failed.append(f"{person}: {person.avatar_url!r} is not an http(s) address")
            continue
        if person.avatar and not force:
            report.skipped.append(f"{person}: has an uploaded avatar (--force replaces it)")
            continue
        try:
            upload = download_image(url, timeout=timeout, allow_private=allow_private)
            if not dry_run:
                store_avatar(person, upload)
        except FetchError as error:
            report.failed.append(f"{person} ({url}): {error}")
            continue
        except Exception as error:  # storage: a full disk, a bucket refusing the write
            report.failed.append(f"{person} ({url}): not stored: {_printable(str(error))}")
            continue
        report.fetched.append(f"{person} ({url})")
    return report


def download_image(url: str, *, timeout: float, allow_private: bool = False) -> ContentFile:
    """The picture at `url`, checked and cleaned as an upload is (ready to assign to a
    ContentImageField), or FetchError saying what is wrong with it."""
    data, content_type = download(
        url, timeout=timeout, max_bytes=max_upload_bytes(), allow_private=allow_private
    )
    upload = ContentFile(data, name=f"avatar{_extension(url, content_type)}")
    try:
        # What ContentImageField.pre_save stores, as the upload form field leaves it.
        upload.cleaned_upload = clean_uploaded_image(upload)
    except ValidationError as error:
        raise FetchError(" ".join(error.messages)) from None
    return upload


def store_avatar(person: Person, upload: ContentFile) -> None:
    """Store a checked picture as the person's avatar; on any error the person is left
    as they were (the replaced avatar goes once the save commits: images.signals)."""
    previous = person.avatar.name
    person.avatar = upload
    try:
        with transaction.atomic():
            person.save(update_fields=["avatar", "updated_at"])
    except Exception:
        person.avatar = previous
        raise


def download(
    url: str, *, timeout: float, max_bytes: int, allow_private: bool = False
) -> tuple[bytes, str]:
    """The body of `url` and its content type, reading no more than `max_bytes` and for
    no longer than `timeout` seconds (each wait, and the whole download); FetchError
    saying why not.

    The download runs in a thread of its own that the command stops waiting for at the
    deadline: a server that sends its headers a byte at a time defeats the per-read
    time-outs, which only bound each wait. The abandoned thread ends with its connection's
    next time-out, or with the command."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = _download(url, timeout, max_bytes, allow_private)
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name="fetch_avatars download", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise FetchError(_too_slow(timeout))
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _download(url: str, timeout: float, max_bytes: int, allow_private: bool) -> tuple[bytes, str]:
    deadline = time.monotonic() + timeout
    request = Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
    try:
        with _opener(allow_private).open(request, timeout=timeout) as response:
            content_type = _content_type(response.headers)
            if content_type not in GENERIC_TYPES and not content_type.startswith("image/"):
                raise FetchError(f"the server sent {_printable(content_type)}, not an image")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(_too_large(max_bytes))
            return _read_within(response, max_bytes, deadline, timeout), content_type
    except HTTPError as error:
        error.close()
        reason = _printable(str(error.reason))
        raise FetchError(f"the server answered {error.code} {reason}") from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchError(_too_slow(timeout)) from None
        raise FetchError(f"cannot connect: {_printable(str(error.reason))}") from None
    except TimeoutError:
        raise FetchError(_too_slow(timeout)) from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        detail = _printable(str(error))
        raise FetchError(f"download failed: {type(error).__name__}: {detail}") from None


def _read_within(response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    chunks = []
    size = 0
    while chunk := response.read1(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_too_large(max_bytes))
        if time.monotonic() > deadline:
            raise FetchError(_too_slow(timeout))
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(headers) -> str:
    # get_content_type() says text/plain when the header is missing.
    return headers.get_content_type() if headers.get("Content-Type") else ""


def _extension(url: str, content_type: str) -> str:
    """The extension the picture's declared type implies, which the upload checks want
    as they want a file name's; for a generic type, the address's own."""
    if content_type in GENERIC_TYPES:
        return splitext(urlsplit(url).path)[1].lower()
    return mimetypes.guess_extension(content_type) or ""


def _printable(text: str, limit: int = 200) -> str:
    """What a server said, safe to print on a terminal: no control characters (an ANSI
    escape would rewrite the operator's screen), and not too long."""
    cleaned = "".join(character if character.isprintable() else "?" for character in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _too_large(max_bytes: int) -> str:
    return f"larger than {filesizeformat(max_bytes)} (the image size limit); not read further"


def _too_slow(timeout: float) -> str:
    return f"no complete answer within {timeout:g} s"


# --- Connections ---------------------------------------------------------------------------


class _PublicAddressesOnly:
    """Refuses a connection to an address that is not public, checked on the socket
    connected (after DNS resolution), before a request is sent."""

    def connect(self):
        super().connect()
        address = ipaddress.ip_address(self.sock.getpeername()[0])
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global:
            self.close()
            raise FetchError(
                f"{self.host} is at {address}, not a public address "
                "(--allow-private-addresses fetches from it)"
            )


class _PublicHTTPConnection(_PublicAddressesOnly, http.client.HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicAddressesOnly, http.client.HTTPSConnection):
    pass


class _HTTPHandler(HTTPHandler):
    def __init__(self, connection_class):
        super().__init__()
        self.connection_class = connection_class

    def http_open(self, req):
        return self.do_open(self.connection_class, req)


class _HTTPSHandler(HTTPSHandler):
    def __init__(self, connection_class):
        self.tls_context = ssl.create_default_context()
        super().__init__(context=self.tls_context)
        self.connection_class = connection_class

    def https_open(self, req):
        return self.do_open(self.connection_class, req, context=self.tls_context)


class _HTTPRedirects(HTTPRedirectHandler):
    """Follows a few redirects, to http(s) addresses only (urllib would follow ftp)."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        if location is not None and http_url(urljoin(req.full_url, location)) is None:
            fp.close()
            raise FetchError(f"redirected to {location!r}, which is not an http(s) address")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(allow_private: bool) -> OpenerDirector:
    """http and https only (no file:, ftp: or data: handler), direct connections (no
    proxy: the address checked is the one fetched from)."""
    if allow_private:
        http_class, https_class = http.client.HTTPConnection, http.client.HTTPSConnection
    else:
        http_class, https_class = _PublicHTTPConnection, _PublicHTTPSConnection
    opener = OpenerDirector()
    for handler in (
        _HTTPHandler(http_class),
        _HTTPSHandler(https_class),
        _HTTPRedirects(),
        HTTPDefaultErrorHandler(),
        HTTPErrorProcessor(),
        UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener
