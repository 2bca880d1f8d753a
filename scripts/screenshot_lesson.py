"""Open a built-in lesson on real MNIST, train it, and save the window as docs/screenshot-lesson.png.

    python scripts/screenshot_lesson.py [--data DIR] [--lesson 1] [--size 1280x800] [--output PATH]

DIR is a folder of dataset folders (mnist/ ...), found as $MNIST_TRAINER_DATA is; by default
$TRAINER_DATA_DIR or ../shared/data. Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MNIST_TRAINER_SETTINGS"] = tempfile.mkdtemp(prefix="mnist-trainer-screenshot-")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from trainer_gui.app import make_application  # noqa: E402  (first: it sets BLAS threads as the app does)

from screenshot import wait_until  # noqa: E402
from trainer_gui.state.run_state import RunState  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")))
    parser.add_argument("--lesson", type=int, default=1, help="which built-in lesson (1-5)")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--steps-done", type=int, default=2, help="how many times to press Next")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "screenshot-lesson.png")
    args = parser.parse_args()
    os.environ["MNIST_TRAINER_DATA"] = str(args.data)
    make_application()
    from trainer_gui.main_window import MainWindow

    window = MainWindow()
    window.resize(*(int(n) for n in args.size.split("x")))
    window.show()
    applied = []
    window.lessons.applied.connect(applied.append)
    action = window.menus.lesson_actions[args.lesson - 1]
    action.trigger()
    if not wait_until(lambda: applied, timeout=120) or not applied[0]:
        raise SystemExit(f"the lesson did not open: {window.message_banner.text()}")
    window.start()
    if not wait_until(lambda: window.state is RunState.COMPLETED, timeout=300):
        raise SystemExit("training did not finish within 5 minutes")
    for _ in range(args.steps_done):
        window.lesson_panel.next_button.click()
    wait_until(lambda: False, timeout=0.3)   # let the last reports reach the window
    window.redraw_now()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.output))
    print(f"saved {args.output}")
    window.close()


if __name__ == "__main__":
    main()
