"""The README's pictures are all made by the screenshot script (tools/screenshots.py),
and the script makes no picture the README does not show."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_pictures():
    return set(re.findall(r"\(docs/screenshots/([\w.-]+\.png)\)", (ROOT / "README.md").read_text()))


def script_shots():
    """The SHOTS table of tools/screenshots.py, read without running the script (its
    constants are resolved from the module's own simple assignments)."""
    tree = ast.parse((ROOT / "tools" / "screenshots.py").read_text())
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            expression = ast.Expression(node.value)
            try:
                constants[name] = eval(
                    compile(expression, "screenshots.py", "eval"), {"__builtins__": {}}, constants
                )
            except Exception:
                continue
    return constants["SHOTS"]


def test_every_readme_picture_is_made_by_the_script():
    names = [shot["name"] for shot in script_shots()]
    assert len(names) == len(set(names)), "a picture is listed twice"
    assert readme_pictures() == set(names)


def test_every_shot_is_complete():
    for shot in script_shots():
        assert shot["url"].startswith("/"), shot
        width, height = shot["size"]
        assert 320 <= width <= 1920 and 300 <= height <= 2000, shot
        assert shot["wait"], shot
        assert shot.get("login") is None or ":" in shot["login"], shot


def test_the_booking_page_is_shown_on_desktop_and_phone_in_both_directions():
    shots = script_shots()
    booking = [s for s in shots if s["name"].startswith("booking-page-")]
    assert {(s["size"][0], s["url"].startswith("/he/")) for s in booking} == {
        (1280, False),
        (360, False),
        (1280, True),
        (360, True),
    }


def test_every_picture_file_is_shown_in_the_readme():
    files = {path.name for path in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert files <= readme_pictures(), files - readme_pictures()
