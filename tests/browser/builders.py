"""What the browser tests share besides their fixtures."""

from pathlib import Path

# Screenshots for review, committed with the tests.
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def log_in(page, base_url: str, login: tuple[str, str]) -> None:
    """Log in to the admin through its login form, as an editor does."""
    username, password = login
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
