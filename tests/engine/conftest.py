"""Plain pytest configuration for the engine tests (no Odoo needed).

* Puts the addon root on ``sys.path`` so ``import engine`` works.
* Loads a hypothesis profile with 200 examples per property and no deadline.
* Keeps pytest away from the Odoo packages above this folder: pytest (>= 8) imports the
  ``__init__.py`` of every package between the rootdir and a test file (``Package.setup``),
  and the addon root's and ``tests/``'s ``__init__.py`` import ``odoo``.  An empty
  placeholder module is registered under the name pytest would import each of them as, so
  those files are never executed here (Odoo's own test loader is unaffected).
"""

import sys
import types
from pathlib import Path

from hypothesis import settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))


def _package_name(directory: Path) -> str:
    """The dotted name pytest's "prepend"/"importlib" modes give a package directory.
    pytest stops at a directory whose name is no Python identifier (a checkout named
    ``sec-model``); that package's own ``__init__.py`` is then imported as ``__init__``."""
    parts = []
    while (directory / "__init__.py").is_file() and directory.name.isidentifier():
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts) or "__init__"


for _package in (ROOT, HERE.parent):
    if (_package / "__init__.py").is_file():
        _name = _package_name(_package)
        if _name and _name not in sys.modules:
            _stub = types.ModuleType(_name, "placeholder: the Odoo package is not imported")
            _stub.__file__ = str(_package / "__init__.py")
            _stub.__path__ = [str(_package)]
            sys.modules[_name] = _stub

settings.register_profile("bookme", max_examples=200, deadline=None)
settings.load_profile("bookme")
