"""What the browser tests share besides their fixtures."""

from pathlib import Path

# Screenshots for review, committed with the tests.
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
