"""What the TLS proxy in front of the site tells it, read only when DJANGO_BEHIND_TLS_PROXY=1."""

import ipaddress

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address that connected to the proxy: the last one in X-Forwarded-For.

    The proxy appends the address it saw (nginx: `$proxy_add_x_forwarded_for`); everything
    before it came from the client and may be forged. Without a usable value, the proxy's
    own address (REMOTE_ADDR) stands in.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")
