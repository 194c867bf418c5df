"""Write docs/rules.md from the built-in rule packs.

Usage (from the repository root):
    PYTHONPATH=src python scripts/gen_rules_doc.py           # write docs/rules.md
    PYTHONPATH=src python scripts/gen_rules_doc.py --check   # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from therapynote.rules.docgen import render_rules_doc

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/rules.md is stale")
    parser.add_argument("--output", type=Path, default=DOC_PATH, help="where to write")
    args = parser.parse_args(argv)
    text = render_rules_doc()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run scripts/gen_rules_doc.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
