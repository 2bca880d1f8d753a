"""What the model and training controls accept, and how the speed slider maps to a pause; no Qt."""
from __future__ import annotations

import math
import re

# Hidden layer widths as the user types them: positive integers (no leading zero, at most 4 digits,
# so a typo cannot ask for a layer of a billion units), separated by commas. The window's validator
# uses the same pattern, so text it lets through always parses.
HIDDEN_SIZES_PATTERN = r"\s*[1-9][0-9]{0,3}(\s*,\s*[1-9][0-9]{0,3})*\s*"
ONE_HIDDEN_SIZE_PATTERN = r"\s*[1-9][0-9]{0,3}\s*"

SPEED_STEPS = 100          # the slider runs 0..SPEED_STEPS; the top is full speed
SLOWEST_DELAY = 1.0        # seconds between steps at the slow end: slow enough to talk over
DEMO_DELAY = 0.05          # the demo pace: 20 steps a second, the curves visibly grow in front of a class


def _untranslated(context: str, text: str) -> str:
    return text


def parse_hidden_sizes(text: str, single: bool = False, translate=_untranslated) -> tuple[int, ...]:
    """Hidden layer widths from text such as "256, 128"; raises ValueError with a readable message.

    single: accept exactly one width (the two-layer network has one hidden layer).
    translate: the window's translate(context, text) for the message (trainer_gui.i18n).
    """
    pattern = ONE_HIDDEN_SIZE_PATTERN if single else HIDDEN_SIZES_PATTERN
    if not re.fullmatch(pattern, text):
        expected = translate("Hyperparameters", "one positive whole number such as 100") if single else \
            translate("Hyperparameters", "positive whole numbers separated by commas, such as 256,128")
        raise ValueError(translate("Hyperparameters", "hidden layer sizes {text} not understood: expected {expected}")
                         .format(text=repr(text.strip()), expected=expected))
    return tuple(int(part) for part in text.split(","))


def format_hidden_sizes(sizes) -> str:
    return ",".join(str(int(size)) for size in sizes)


def delay_for_speed(value: int) -> float:
    """Seconds to wait between steps for a slider position: 0 at the top, SLOWEST_DELAY at 0.

    Geometric in between (1 ms .. 1 s), so each notch changes the pace by the same ratio and
    the fast half of the slider is not wasted on delays nobody can tell apart.
    """
    if value >= SPEED_STEPS:
        return 0.0
    fastest = 0.001
    fraction = 1.0 - max(value, 0) / (SPEED_STEPS - 1)
    return fastest * (SLOWEST_DELAY / fastest) ** fraction


def speed_for_delay(seconds: float) -> int:
    """The slider position whose pause is nearest to `seconds` (the inverse of delay_for_speed)."""
    if seconds <= 0:
        return SPEED_STEPS
    fastest = 0.001
    fraction = math.log(min(max(seconds, fastest), SLOWEST_DELAY) / fastest) / math.log(SLOWEST_DELAY / fastest)
    return round((1.0 - fraction) * (SPEED_STEPS - 1))


def describe_speed(value: int, translate=lambda context, text: text) -> str:
    """The slider's pace in words; translate: the window's translate(context, text) (trainer_gui.i18n)."""
    delay = delay_for_speed(value)
    if delay == 0.0:
        return translate("Hyperparameters", "full speed")
    if delay < 1:
        return translate("Hyperparameters", "{ms} ms / step").format(ms=f"{delay * 1000:.0f}")
    return translate("Hyperparameters", "{s} s / step").format(s=f"{delay:.1f}")


def format_duration(seconds: float) -> str:
    """h:mm:ss or m:ss; an em dash when unknown (nan or infinite)."""
    if not math.isfinite(seconds):
        return "—"
    seconds = int(round(max(seconds, 0.0)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
