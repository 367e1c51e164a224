"""Servers the tests start and reach: an S3 API (moto in server mode), app servers, and the
PostgreSQL and Redis a CI machine runs."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from moto.server import ThreadedMotoServer

# Servers started by tests listen on these ports (TEST_SERVER_PORTS=first-last to move them).
_first, _, _last = os.environ.get("TEST_SERVER_PORTS", "8170-8189").partition("-")
SERVER_PORTS = range(int(_first), int(_last) + 1)

S3_REGION = "us-east-1"
# moto accepts any keys; boto3 refuses to sign without some.
S3_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
BUCKET_POLICY = Path(__file__).resolve().parent.parent / "deploy" / "media-bucket-policy.json"


def free_port(taken: set[int] = frozenset()) -> int:
    """A port of SERVER_PORTS that nothing listens on now."""
    for port in SERVER_PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {SERVER_PORTS.start}-{SERVER_PORTS.stop - 1}")


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll `condition` until it holds; fail saying `what` did not happen in time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout:.0f} s")
        time.sleep(0.05)  # a poll interval, not a wait for time: the condition decides


DEFAULT_PORTS = {"http": 80, "https": 443, "postgres": 5432, "postgresql": 5432, "redis": 6379}


def reachable(url: str) -> bool:
    """Whether a TCP server answers at the host and port of `url`."""
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    try:
        with socket.create_connection((parts.hostname, port), timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def s3_server() -> Iterator[str]:
    """An S3 API on a free port (moto in server mode); yields its endpoint URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        wait_until(lambda: reachable(endpoint), "the S3 server did not answer")
        yield endpoint
    finally:
        server.stop()


def s3_client(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name=S3_REGION, **S3_KEYS)


def create_media_bucket(endpoint: str, versioned: bool = False) -> str:
    """A new bucket with the documented policy (deploy/media-bucket-policy.json); a
    versioned bucket keeps every write of an object, so a rewrite shows."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = s3_client(endpoint)
    client.create_bucket(Bucket=name)
    policy = BUCKET_POLICY.read_text().replace("MEDIA-BUCKET", name)
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(json.loads(policy)))
    if versioned:
        client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def bucket_storage(endpoint: str, bucket: str) -> dict:
    """STORAGES["default"] for `bucket`, as config/settings.py builds it from the
    environment when AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL are set."""
    origin = urlsplit(endpoint)
    return {
        "BACKEND": "publishing.bucket.MediaBucketStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": S3_REGION,
            "access_key": S3_KEYS["aws_access_key_id"],
            "secret_key": S3_KEYS["aws_secret_access_key"],
            "custom_domain": f"{origin.netloc}/{bucket}",
            "url_protocol": f"{origin.scheme}:",
            "querystring_auth": False,
        },
    }


def object_names(endpoint: str, bucket: str, prefix: str = "") -> set[str]:
    pages = (
        s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    )
    return {entry["Key"] for page in pages for entry in page.get("Contents", ())}


def object_versions(endpoint: str, bucket: str, prefix: str = "") -> dict[str, int]:
    """How many times each object under `prefix` was written (a versioned bucket)."""
    pages = (
        s3_client(endpoint)
        .get_paginator("list_object_versions")
        .paginate(Bucket=bucket, Prefix=prefix)
    )
    counts: dict[str, int] = {}
    for page in pages:
        for version in page.get("Versions", ()):
            counts[version["Key"]] = counts.get(version["Key"], 0) + 1
    return counts


class MediaBucket:
    """A bucket of the test S3 server that media are stored in, and what is in it."""

    def __init__(self, endpoint: str, name: str):
        self.endpoint = endpoint
        self.name = name
        self.client = s3_client(endpoint)

    def names(self, prefix: str = "") -> set[str]:
        return object_names(self.endpoint, self.name, prefix)

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def writes(self, prefix: str = "") -> dict[str, int]:
        return object_versions(self.endpoint, self.name, prefix)


def redis_command(url: str, *words: str) -> bytes:
    """Send one command to the Redis at `url` (redis://host:port/db) and return its reply
    line; raises OSError when nothing answers."""
    parts = urlsplit(url)
    database = parts.path.strip("/") or "0"

    def encode(*command: str) -> bytes:
        pieces = [f"*{len(command)}\r\n".encode()]
        for word in command:
            data = word.encode()
            pieces.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(pieces)

    with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as sock:
        sock.sendall(encode("SELECT", database) + encode(*words))
        reply = b""
        while reply.count(b"\r\n") < 2:
            chunk = sock.recv(4096)
            if not chunk:
                raise OSError("Redis closed the connection")
            reply += chunk
    selected, answer = reply.split(b"\r\n")[:2]
    if selected != b"+OK":
        raise OSError(f"Redis refused SELECT {database}: {selected.decode(errors='replace')}")
    return answer


@contextmanager
def keeping_test_connection() -> Iterator[None]:
    """Around a test's own call of a WSGI handler: as the test client does, the test's
    database connection stays open (the handler closes old connections around every
    request, which on PostgreSQL would end the test's transaction). Not a fixture: each
    test client request connects the handler's clean-up again when it ends."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
