"""therapynote.rules imports the standard library and itself, nothing else."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import therapynote.rules

PACKAGE = Path(therapynote.rules.__file__).parent


def test_rules_package_imports_only_stdlib() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level > 0:
                    continue  # relative: inside the package
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "__future__", (path.name, name)
