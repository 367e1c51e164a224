"""The apps are layers that point one way: a module may import the apps below its own,
never those above, and no function-level import hides a cycle."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each app, and the project apps its modules may import. Images and the publishing base
# know no content; the content apps build on them (blog and talks credit people); the
# engine, search and the page cache work on every kind through publishing.kinds; the
# website and the project's URLs sit on top.
MAY_IMPORT = {
    "images": set(),
    "publishing": {"images"},
    "people": {"publishing", "images"},
    "blog": {"people", "publishing", "images"},
    "talks": {"people", "publishing", "images"},
    "pagecache": {"publishing"},
    "search": {"pagecache", "publishing", "images"},
    "frontmatter": {"blog", "talks", "people", "pagecache", "publishing", "images"},
    "website": {"blog", "talks", "people", "publishing", "images"},
}
PROJECT_APPS = {*MAY_IMPORT, "config"}
CONTENT_APPS = {"blog", "talks", "people"}


def modules(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


def imported_apps(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found & PROJECT_APPS


def function_level_imports(tree: ast.AST) -> list[tuple[str, int]]:
    """(function, line) of each project import inside a function, but those of an
    AppConfig.ready(), where Django wants signal handlers and registrations made."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name == "ready":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Import, ast.ImportFrom)) and imported_apps(inner):
                found.append((node.name, inner.lineno))
    return found


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_layers_below_it(app):
    wrong = {
        f"{path.relative_to(ROOT)} imports {sorted(above)}"
        for path in modules(app)
        if (above := imported_apps(ast.parse(path.read_text())) - MAY_IMPORT[app] - {app})
    }
    assert not wrong


def test_the_base_imports_no_content_app():
    for app in ("publishing", "images"):
        for path in modules(app):
            assert not imported_apps(ast.parse(path.read_text())) & CONTENT_APPS, path


@pytest.mark.parametrize("app", sorted(PROJECT_APPS))
def test_no_function_level_import_dodges_a_cycle(app):
    found = {
        f"{path.relative_to(ROOT)}:{line} in {function}()"
        for path in modules(app)
        for function, line in function_level_imports(ast.parse(path.read_text()))
    }
    assert not found


def test_the_layer_check_sees_an_import_from_above():
    tree = ast.parse("from blog.models import Post\n\ndef f():\n    from talks import views\n")
    assert imported_apps(tree) == {"blog", "talks"}
    assert function_level_imports(tree) == [("f", 4)]
