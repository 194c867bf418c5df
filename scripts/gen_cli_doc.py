"""Write docs/cli.md from the CLI's own --help text (`--check` exits 1 if it is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

HEADER = """# Command-line reference

Generated from `therapynote --help` by `scripts/gen_cli_doc.py`; do not edit by hand.

Every command takes `--vault PATH` (default: `$THERAPYNOTE_VAULT`, else the per-user data
folder). The passphrase comes from the first source that is set: `--passphrase-file`,
`THERAPYNOTE_PASSPHRASE_FILE`, `THERAPYNOTE_PASSPHRASE_COMMAND` (its first output line),
`THERAPYNOTE_PASSPHRASE`, then a hidden prompt on a terminal. Commands that print data take
`--json`. Errors are one line on stderr with a distinct exit code (table below).

"""


def _walk(cmd, path):  # type: ignore[no-untyped-def]
    yield path, cmd
    for name in sorted(getattr(cmd, "commands", {}) or {}):
        sub = cmd.commands[name]
        if getattr(sub, "hidden", False):
            continue
        yield from _walk(sub, [*path, name])


def render() -> str:
    import typer.main
    from typer.testing import CliRunner

    from therapynote.cli import app
    from therapynote.errors import ALL_ERRORS

    root = typer.main.get_command(app)
    runner = CliRunner()
    parts = [HEADER, "## Exit codes\n\n| code | meaning |\n|---|---|\n"]
    parts.append("| 0 | success |\n")
    for err in ALL_ERRORS:
        doc = (err.__doc__ or "").strip().splitlines()[0]
        parts.append(f"| {err.exit_code} | {err.title}: {doc} |\n")
    parts.append("| 1 | unexpected error (run with `--debug` for a traceback) |\n")
    parts.append("| 130 | interrupted |\n\n")
    for path, _cmd in _walk(root, []):
        args = [*path, "--help"]
        result = runner.invoke(app, args, env={"COLUMNS": "100", "TERM": "dumb"})
        title = " ".join(["therapynote", *path])
        parts.append(f"## `{title}`\n\n```\n{result.output.rstrip()}\n```\n\n")
    return "".join(parts).rstrip() + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text("utf-8") != text:
            print(f"{DOC} is stale; run scripts/gen_cli_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
