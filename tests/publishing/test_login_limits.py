"""Admin logins are limited per username and address (django-axes), with a cool-off."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.utils.html import escape

from config.proxy import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "a long editor password"
LOCKED = "Too many failed logins"


@pytest.fixture
def editors(db):
    return [
        User.objects.create_user(name, password=PASSWORD, is_staff=True) for name in ("ed", "flo")
    ]


def log_in(client, username, password, address="203.0.113.5", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def fail(client, times, username="ed", address="203.0.113.5", **headers):
    return [log_in(client, username, "a wrong guess", address, **headers) for _ in range(times)]


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_failures_under_the_limit_get_the_usual_form_error(client, editors, settings):
    for response in fail(client, settings.AXES_FAILURE_LIMIT - 1):
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert logged_in(log_in(client, "ed", PASSWORD))


def test_after_the_limit_even_the_right_password_is_refused(client, editors, settings, now):
    *_, last = fail(client, settings.AXES_FAILURE_LIMIT)
    assert last.status_code == 429

    response = log_in(client, "ed", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "for “ed”" in page
    assert "15 minutes" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to the login


def test_the_lock_page_is_a_page_of_the_site_not_an_error(client, editors, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    response = log_in(client, "ed", PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert escape(f"{settings.SITE_NAME} admin") in response.content.decode()


def test_a_lock_holds_for_that_username_and_address_only(client, editors, settings):
    fail(client, settings.AXES_FAILURE_LIMIT, username="ed", address="203.0.113.5")

    assert log_in(client, "ed", PASSWORD, address="203.0.113.5").status_code == 429
    assert logged_in(log_in(client, "ed", PASSWORD, address="198.51.100.7"))
    client.logout()
    assert logged_in(log_in(client, "flo", PASSWORD, address="203.0.113.5"))


def test_the_lock_clears_after_the_cool_off(client, editors, settings, now, time_machine):
    fail(client, settings.AXES_FAILURE_LIMIT)

    time_machine.shift(settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1))
    assert log_in(client, "ed", PASSWORD).status_code == 429

    time_machine.shift(settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1))
    assert logged_in(log_in(client, "ed", PASSWORD))


def test_a_successful_login_starts_the_count_again(client, editors, settings):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert logged_in(log_in(client, "ed", PASSWORD))
    client.logout()

    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert logged_in(log_in(client, "ed", PASSWORD))


def test_an_unknown_username_is_limited_like_any_other(client, editors, settings):
    *_, last = fail(client, settings.AXES_FAILURE_LIMIT, username="admin")
    assert last.status_code == 429
    assert logged_in(log_in(client, "ed", PASSWORD))


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(
    client, editors, settings
):
    settings.AXES_CLIENT_IP_CALLABLE = "config.proxy.client_ip"
    proxy = "10.0.0.2"
    # The attacker puts a new address first on every try; the proxy appends the real one.
    for forged in range(settings.AXES_FAILURE_LIMIT):
        log_in(
            client,
            "ed",
            "a wrong guess",
            proxy,
            X_Forwarded_For=f"192.0.2.{forged}, 203.0.113.5",
        )

    attacker = log_in(client, "ed", PASSWORD, proxy, X_Forwarded_For="192.0.2.99, 203.0.113.5")
    assert attacker.status_code == 429
    assert logged_in(log_in(client, "ed", PASSWORD, proxy, X_Forwarded_For="198.51.100.7"))


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("192.0.2.1, 203.0.113.5", "203.0.113.5"),
        ("192.0.2.1,203.0.113.5 ", "203.0.113.5"),
        ("2001:db8::1", "2001:db8::1"),
        ("203.0.113.5, not-an-address", "10.0.0.2"),
        ("", "10.0.0.2"),
        ("203.0.113.5, ", "10.0.0.2"),
    ],
)
def test_the_client_address_is_the_last_one_the_proxy_appended(forwarded_for, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    if forwarded_for:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(request) == expected
