"""Train the two-layer network on real MNIST for a few epochs and save the window as a PNG.

    python scripts/screenshot.py [--data DIR] [--epochs 5] [--size 1280x800 --size 1920x1080]

The first size is saved as docs/screenshot.png (the one the README shows), the others as
docs/screenshot-WxH.png; the first also with -welcome (the welcome page, before any data); each with -timeline (the timeline scrubbed back), -inside (the
Inside tab with a drawn digit), -evaluate and -vitals (those tabs, whole), -compare (after an
optimiser race), -step (the Step tab after one step of a new run) and -twin (a twin run);
at 1920 px or wider also -presentation (presentation mode, dark theme). Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the window as a new user sees it: none of this machine's remembered settings
os.environ["MNIST_TRAINER_SETTINGS"] = tempfile.mkdtemp(prefix="mnist-trainer-screenshot-")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from trainer_gui.app import make_application  # noqa: E402  (first: it sets BLAS threads as the app does)
from PySide6.QtWidgets import QApplication  # noqa: E402

from trainer_gui.state.run_state import RunState  # noqa: E402


def default_data_folder() -> Path:
    """The real MNIST test split the tests use: $TRAINER_DATA_DIR/mnist, by default ../shared/data/mnist."""
    return Path(os.environ.get("TRAINER_DATA_DIR", REPO.parent / "shared" / "data")) / "mnist"


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        QApplication.processEvents()
        time.sleep(0.005)
    return True


def capture(window_class, folder: Path, size: tuple[int, int], epochs: int, output: Path,
            extras: bool = False) -> None:
    """The Train tab after `epochs` epochs as `output`; with extras, also the timeline scrubbed to a
    third of the run (…-timeline.png) and the Inside tab with a drawn 7 and a unit selected
    (…-inside.png)."""
    window = window_class()
    window.resize(*size)
    window.show()
    if extras and size[0] < 1920:   # before any data: the welcome page
        wait_until(lambda: False, timeout=0.3)
        window.grab().save(str(output.with_name(output.stem + "-welcome.png")))
        print(f"saved {output.with_name(output.stem + '-welcome.png')} (the welcome page)")
    window.load_data(folder)   # in the background
    wait_until(lambda: not window.loading, timeout=120)
    if window.data is None:
        raise SystemExit(f"could not load {folder}: {window.data_panel.message_label.text()}")
    panel = window.model_panel
    panel.model_combo.setCurrentIndex(panel.model_combo.findData("two-layer"))
    panel.epochs_spin.setValue(epochs)
    window.start()
    if not wait_until(lambda: window.state is RunState.COMPLETED, timeout=300):
        raise SystemExit("training did not finish within 5 minutes")
    wait_until(lambda: False, timeout=0.3)   # let the last reports reach the window
    window.redraw_now()
    output.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(output))
    print(f"saved {output} ({size[0]}×{size[1]}, {epochs} epochs)")
    if size[0] >= 1920:   # a projector's size: the classroom look too
        save_presentation(window, output.with_name(output.stem + "-presentation.png"))
    if extras:
        save_timeline(window, output.with_name(output.stem + "-timeline.png"))
        save_inside(window, output.with_name(output.stem + "-inside.png"))
        save_tab(window, "Evaluate", output.with_name(output.stem + "-evaluate.png"),
                 lambda view: view.shown_step is not None and not view.robustness.busy and not view.map_panel.busy
                 and view.robustness.curves is not None and view.map_panel.coords is not None)
        save_tab(window, "Vital signs", output.with_name(output.stem + "-vitals.png"),
                 lambda view: view.health is not None)
        save_compare(window, output.with_name(output.stem + "-compare.png"))
        save_step(window, output.with_name(output.stem + "-step.png"))
        save_twin(window, output.with_name(output.stem + "-twin.png"))
    window.close()


def save_presentation(window, output: Path) -> None:
    """The Train tab in presentation mode (F5) with the dark theme, then back to the normal look."""
    window.menus.presentation.setChecked(True)
    window.menus.themes["dark"].setChecked(True)
    wait_until(lambda: False, timeout=0.3)
    window.redraw_now()
    window.grab().save(str(output))
    print(f"saved {output} (presentation mode, dark)")
    window.menus.themes["light"].setChecked(True)
    window.menus.presentation.setChecked(False)
    wait_until(lambda: False, timeout=0.3)


def save_timeline(window, output: Path) -> None:
    record = window.session.run
    step = record.step_of(len(record) // 3)
    window.session.cursor.set(step=step)
    wait_until(lambda: window.redraw_now() or window.mistakes_view.shown_step == step, timeout=60)
    window.redraw_now()
    window.grab().save(str(output))
    print(f"saved {output} (the timeline at step {step})")
    window.session.cursor.set(step=None)


def stroke(pad, points) -> None:
    """Draw through `points` (fractions of the pad's square) with the mouse, as a person does."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    side = min(pad.width(), pad.height())
    left, top = (pad.width() - side) / 2, (pad.height() - side) / 2
    at = [QPoint(int(left + x * side), int(top + y * side)) for x, y in points]
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[0])
    for point in at[1:]:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at[-1])


def save_inside(window, output: Path) -> None:
    window.workspace_tabs.setCurrentIndex(1)
    top = [(0.25 + 0.025 * i, 0.25) for i in range(21)]
    down = [(0.75 - 0.015 * i, 0.25 + 0.025 * i) for i in range(1, 21)]
    stroke(window.inside.pad, top + down)   # a 7
    wait_until(lambda: False, timeout=0.3)
    window.inside.refresh()
    most_active = window.inside.network_view.shown_units[0][0]   # the hidden unit lit brightest
    window.session.cursor.set(layer=0, unit=most_active)
    wait_until(lambda: False, timeout=0.3)
    window.inside.refresh()
    wait_until(lambda: False, timeout=1.0)  # the unit's gallery and the lab's evaluation
    window.grab().save(str(output))
    print(f"saved {output} (the Inside tab)")
    window.workspace_tabs.setCurrentIndex(0)


def save_tab(window, title: str, output: Path, ready) -> None:
    """The workspace tab called `title`, whole (it scrolls in the window), once ready(workspace)."""
    tabs = window.workspace_tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == title))
    view = tabs.currentWidget().widget()
    if not wait_until(lambda: ready(view), timeout=60):
        raise SystemExit(f"the {title} tab was not drawn")
    view.resize(view.width(), view.sizeHint().height())
    wait_until(lambda: False, timeout=0.3)
    view.grab().save(str(output))
    print(f"saved {output} (the {title} tab)")
    tabs.setCurrentIndex(0)


def save_compare(window, output: Path) -> None:
    """The Compare tab after an optimiser race of the run's settings."""
    window.toggle_race()
    if not wait_until(lambda: window.race is None, timeout=300):
        raise SystemExit("the optimiser race did not end")
    save_tab(window, "Compare", output, lambda view: view.refresh() or (view.line.curve is not None
                                                                        and not view.line.busy))


def save_twin(window, output: Path) -> None:
    """The Compare tab with the twin panel open after a twin run of the settings against B with a
    tenth of the learning rate (the other runs kept are unticked, so the twins stand alone)."""
    window.reset()
    tabs = window.workspace_tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Compare"))
    view = window.compare_view
    view.twin_button.setChecked(True)
    panel = window.twin_panel.panel
    panel.lr_spin.setValue(window.model_panel.lr_spin.value() / 10)
    window.start_twin()
    if not wait_until(lambda: window.state is RunState.COMPLETED, timeout=300):
        raise SystemExit("the twin run did not finish")
    wait_until(lambda: False, timeout=0.3)
    view.refresh()
    twins = (window.session.run, window.session.twin)
    view.hidden |= {id(r) for r in view.records if r not in twins}
    save_tab(window, "Compare", output, lambda view: view.refresh() or (view.line.curve is not None
                                                                        and not view.line.busy))


def save_step(window, output: Path) -> None:
    """The Step tab after one step of a new run (Reset, then Step), the whole tab at the window's
    width (it scrolls in the window)."""
    window.reset()
    window.step()
    if not wait_until(lambda: window.state is RunState.PAUSED and window.session.run.latest_step == 1, timeout=60):
        raise SystemExit("the step did not come")
    checked = []

    def ready(view):
        if view.inspection is None or view.busy:
            return False
        if not checked:   # once the step is shown, its gradient check too
            checked.append(view.check_gradients())
            return False
        return True

    save_tab(window, "Step", output, ready)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="folder of MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--size", action="append", help="window size WxH; repeatable")
    arguments = parser.parse_args()
    sizes = [tuple(int(v) for v in s.lower().split("x")) for s in (arguments.size or ["1280x800", "1920x1080"])]
    make_application()
    from trainer_gui.main_window import MainWindow
    folder = arguments.data or default_data_folder()
    for i, size in enumerate(sizes):
        name = "screenshot.png" if i == 0 else f"screenshot-{size[0]}x{size[1]}.png"
        capture(MainWindow, folder, size, arguments.epochs, REPO / "docs" / name, extras=True)


if __name__ == "__main__":
    main()
