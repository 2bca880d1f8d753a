"""Update the translations after the window's texts changed: lupdate collects every string the
code passes to translate() or QT_TRANSLATE_NOOP() into each assets/translations/*.ts (new ones
unfinished, vanished ones dropped), and lrelease compiles each .ts into the .qm the app loads.

    python scripts/update_translations.py            # lupdate, then lrelease
    python scripts/update_translations.py --release  # lrelease only (after translating)

Needs Qt's lupdate and lrelease: the full PySide6 wheel ships them (PySide6-Essentials does not).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "trainer_gui" / "assets" / "translations"


def tool(name: str) -> str:
    """Qt's `name` tool from the PySide6 package (pyside6-lupdate's binaries)."""
    folder = Path(PySide6.__file__).parent
    for candidate in (folder / name, folder / f"{name}.exe", folder / "Qt" / "bin" / name):
        if candidate.is_file():
            return str(candidate)
    sys.exit(f"{name} not found in {folder}: install the full PySide6 wheel (pip install PySide6)")


def sources() -> list[str]:
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / "trainer_gui").rglob("*.py"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile the .ts files")
    args = parser.parse_args()
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        if not args.release:
            # no line numbers in the .ts: code moving around does not change it
            subprocess.run([tool("lupdate"), *sources(), "-no-obsolete", "-locations", "none",
                            "-source-language", "en", "-ts", str(ts.relative_to(ROOT))], cwd=ROOT, check=True)
        subprocess.run([tool("lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
