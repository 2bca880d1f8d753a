"""Optimizers (SGD with momentum or Nesterov momentum, AdaGrad, RMSProp, Adam), weight decay and
learning-rate schedules.

Every optimizer follows torch.optim's update of the same name and defaults (weight decay is L2: λp
added to the gradient, as torch does, also for Adam).

A schedule maps the step count t (0, 1, 2, ...) to a factor of the base learning rate η₀, so that
changing η₀ between steps (as a user does with a slider) keeps the schedule's shape.
"""
from __future__ import annotations

import math

import numpy as np


class Constant:
    def __call__(self, t: int) -> float:
        return 1.0


class InverseTime:
    """η₀ / (1 + t/τ): Σ ηₜ diverges and Σ ηₜ² converges, as SGD's convergence theory asks."""

    def __init__(self, tau: float):
        if tau <= 0:
            raise ValueError(f"inverse-time decay needs τ > 0, got {tau}")
        self.tau = tau

    def __call__(self, t):
        return 1.0 / (1.0 + t / self.tau)


class StepDecay:
    """η₀ · γ^⌊t / step_size⌋."""

    def __init__(self, step_size: int, gamma: float = 0.1):
        if step_size < 1 or not 0 < gamma <= 1:
            raise ValueError(f"step decay needs step_size ≥ 1 and 0 < γ ≤ 1, got {step_size}, {gamma}")
        self.step_size, self.gamma = step_size, gamma

    def __call__(self, t):
        return self.gamma ** (t // self.step_size)


class Cosine:
    """From η₀ down to min_fraction·η₀ along half a cosine over total_steps, then flat."""

    def __init__(self, total_steps: int, min_fraction: float = 0.0):
        if total_steps < 1:
            raise ValueError(f"cosine schedule needs total_steps ≥ 1, got {total_steps}")
        self.total_steps, self.min_fraction = total_steps, min_fraction

    def __call__(self, t):
        progress = min(t, self.total_steps) / self.total_steps
        return self.min_fraction + (1 - self.min_fraction) * 0.5 * (1 + math.cos(math.pi * progress))


SCHEDULES = ("constant", "inverse_time", "step", "cosine")


def make_schedule(name: str, total_steps: int):
    """A schedule by name, its time constants chosen from the run's length in steps."""
    total_steps = max(int(total_steps), 1)
    if name == "constant":
        return Constant()
    if name == "inverse_time":
        return InverseTime(tau=max(total_steps / 10, 1.0))   # η has halved after a tenth of the run
    if name == "step":
        return StepDecay(step_size=max(total_steps // 3, 1), gamma=0.1)
    if name == "cosine":
        return Cosine(total_steps)
    raise ValueError(f"unknown learning-rate schedule {name!r}; choose one of {', '.join(SCHEDULES)}")


class Optimizer:
    """What the Trainer drives: `params` updated in place by `step(grads, scale)`.

    Attributes:
        params: the arrays updated in place. learning_rate: the base rate η₀ (settable between
            steps). schedule: t -> factor of η₀. steps: the updates made so far (the schedule's t,
            and Adam's bias-correction count). state: the arrays besides the parameters that the
            next update depends on (what a saved run must keep to continue exactly), each shaped
            like a parameter, in the order `state_names` describes.
    """

    name = ""
    state_names: tuple[str, ...] = ()   # one per group of len(params) arrays in `state`

    def __init__(self, params, learning_rate, weight_decay=0.0, schedule=None):
        if not learning_rate > 0:
            raise ValueError(f"learning rate must be positive, got {learning_rate}")
        if not (math.isfinite(weight_decay) and weight_decay >= 0):
            raise ValueError(f"weight decay must be a number ≥ 0, got {weight_decay}")
        self.params = list(params)
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.schedule = schedule or Constant()
        self.steps = 0

    @property
    def state(self) -> list[np.ndarray]:
        return []

    def current_learning_rate(self) -> float:
        return self.learning_rate * self.schedule(self.steps)

    def gradient_scale(self) -> float:
        """The factor the Trainer asks the model to multiply the gradients by (1: plain gradients)."""
        return 1.0

    def _new_values(self, i: int, p: np.ndarray, g: np.ndarray, lr: float):
        """(the parameter's new value, [its new state arrays, one per state_names]) for parameter i
        with gradient g (weight decay already added), as new arrays; nothing is changed yet."""
        raise NotImplementedError

    def step(self, grads, scale: float = 1.0) -> bool:
        """Update the parameters in place; return False, changing nothing, if the update (or the
        state it leaves) is not finite. grads: ∇ aligned with params, multiplied by `scale`."""
        lr = self.current_learning_rate()
        updated, states = [], []
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for i, (p, g) in enumerate(zip(self.params, grads)):
                g = g / scale if scale != 1.0 else g
                if self.weight_decay:
                    g = g + self.weight_decay * p
                value, state = self._new_values(i, p, g, lr)
                updated.append(value)
                states.append(state)
        # state arrays in `state` order: group by group (all of the first name's, then the next's)
        new_state = [s[k] for k in range(len(self.state_names)) for s in states]
        if not all(np.isfinite(a).all() for a in updated + new_state):
            return False
        for target, value in zip(self.params + self.state, updated + new_state):
            target[...] = value
        self.steps += 1
        return True


class SGD(Optimizer):
    """p ← p − ηₜ v, v = μ v + (∇ + λ p); with μ = λ = 0 this is plain p ← p − ηₜ ∇.

    nesterov: p ← p − ηₜ (g + μ v) with v as above and g = ∇ + λ p (torch.optim.SGD(nesterov=True));
    it needs μ > 0.

    Plain SGD asks the model for gradients already scaled by −ηₜ (`gradient_scale`), so its update is
    a single addition per parameter.
    """

    name = "sgd"

    def __init__(self, params, learning_rate=0.1, momentum=0.0, weight_decay=0.0, schedule=None,
                 nesterov: bool = False):
        super().__init__(params, learning_rate, weight_decay, schedule)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if nesterov and not momentum:
            raise ValueError("Nesterov momentum needs a momentum above 0 (e.g. 0.9)")
        self.momentum, self.nesterov = momentum, bool(nesterov)
        if self.nesterov:
            self.name = "nesterov"
        self.velocity = [np.zeros_like(p) for p in self.params] if momentum else []
        self.state_names = ("velocity",) if momentum else ()

    @property
    def state(self) -> list[np.ndarray]:
        return self.velocity

    @property
    def plain(self) -> bool:
        return not (self.momentum or self.weight_decay)

    def gradient_scale(self) -> float:
        """The factor that makes `step` cheapest when the gradients already carry it (never 0: a
        schedule that has run down to a zero rate still gets the gradients, for their norms)."""
        learning_rate = self.current_learning_rate()
        return -learning_rate if self.plain and learning_rate > 0 else 1.0

    def step(self, grads, scale: float = 1.0) -> bool:
        """Update the parameters in place; return False, changing nothing, if the update overflows.

        grads: the gradients ∇ (aligned with params) multiplied by `scale`. Callers with plain
        gradients leave scale at 1; the Trainer asks the model for ∇ · gradient_scale(), which for
        plain SGD (−ηₜ) makes the update a single addition per parameter. (There, finite gradients
        keep the weights finite; the caller checks the gradients, as the Trainer does.)
        """
        if self.plain and scale == -self.current_learning_rate():
            for p, g in zip(self.params, grads):
                p += g
            self.steps += 1
            return True
        return super().step(grads, scale)

    def _new_values(self, i, p, g, lr):
        if not self.momentum:
            return p - lr * g, []
        v = self.momentum * self.velocity[i] + g
        return p - lr * (g + self.momentum * v if self.nesterov else v), [v]


class AdaGrad(Optimizer):
    """s ← s + g², p ← p − η̃ₜ g / (√s + ε), η̃ₜ = ηₜ / (1 + t·lr_decay), g = ∇ + λ p
    (torch.optim.Adagrad; defaults lr_decay 0, ε 1e-10, initial accumulator 0)."""

    name = "adagrad"
    state_names = ("sum",)

    def __init__(self, params, learning_rate=0.01, weight_decay=0.0, schedule=None, lr_decay=0.0,
                 eps=1e-10, initial_accumulator=0.0):
        super().__init__(params, learning_rate, weight_decay, schedule)
        if not (lr_decay >= 0 and eps >= 0 and initial_accumulator >= 0):
            raise ValueError("AdaGrad needs lr_decay, ε and the initial accumulator ≥ 0")
        self.lr_decay, self.eps = lr_decay, eps
        self.sums = [np.full_like(p, initial_accumulator) for p in self.params]

    @property
    def state(self):
        return self.sums

    def _new_values(self, i, p, g, lr):
        lr = lr / (1 + self.steps * self.lr_decay)
        s = self.sums[i] + g * g
        return p - lr * (g / (np.sqrt(s) + self.eps)), [s]


class RMSProp(Optimizer):
    """a ← α a + (1 − α) g², p ← p − ηₜ g / (√a + ε), g = ∇ + λ p; with momentum μ > 0,
    b ← μ b + g / (√a + ε) and p ← p − ηₜ b (torch.optim.RMSprop, not centred; defaults α 0.99,
    ε 1e-8, μ 0)."""

    name = "rmsprop"

    def __init__(self, params, learning_rate=0.01, weight_decay=0.0, schedule=None, alpha=0.99,
                 eps=1e-8, momentum=0.0):
        super().__init__(params, learning_rate, weight_decay, schedule)
        if not (0 <= alpha <= 1 and eps >= 0 and 0 <= momentum < 1):
            raise ValueError(f"RMSProp needs 0 ≤ α ≤ 1, ε ≥ 0 and momentum in [0, 1), got "
                             f"{alpha}, {eps}, {momentum}")
        self.alpha, self.eps, self.momentum = alpha, eps, momentum
        self.square_avg = [np.zeros_like(p) for p in self.params]
        self.buffers = [np.zeros_like(p) for p in self.params] if momentum else []
        self.state_names = ("square_avg", "momentum_buffer") if momentum else ("square_avg",)

    @property
    def state(self):
        return self.square_avg + self.buffers

    def _new_values(self, i, p, g, lr):
        a = self.alpha * self.square_avg[i] + (1 - self.alpha) * (g * g)
        direction = g / (np.sqrt(a) + self.eps)
        if not self.momentum:
            return p - lr * direction, [a]
        b = self.momentum * self.buffers[i] + direction
        return p - lr * b, [a, b]


class Adam(Optimizer):
    """m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², p ← p − ηₜ m̂ / (√v̂ + ε) with the bias
    corrections m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ) (t = steps + 1) and g = ∇ + λ p: L2
    weight decay as torch.optim.Adam (not AdamW's decoupled decay). Defaults β = (0.9, 0.999),
    ε 1e-8."""

    name = "adam"
    state_names = ("exp_avg", "exp_avg_sq")

    def __init__(self, params, learning_rate=0.001, weight_decay=0.0, schedule=None,
                 betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, learning_rate, weight_decay, schedule)
        beta1, beta2 = betas
        if not (0 <= beta1 < 1 and 0 <= beta2 < 1 and eps >= 0):
            raise ValueError(f"Adam needs 0 ≤ β₁, β₂ < 1 and ε ≥ 0, got {betas}, {eps}")
        self.betas, self.eps = (float(beta1), float(beta2)), eps
        self.exp_avg = [np.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [np.zeros_like(p) for p in self.params]

    @property
    def state(self):
        return self.exp_avg + self.exp_avg_sq

    def _new_values(self, i, p, g, lr):
        beta1, beta2 = self.betas
        t = self.steps + 1
        m = beta1 * self.exp_avg[i] + (1 - beta1) * g
        v = beta2 * self.exp_avg_sq[i] + (1 - beta2) * (g * g)
        step_size = lr / (1 - beta1 ** t)
        denominator = np.sqrt(v) / math.sqrt(1 - beta2 ** t) + self.eps
        return p - step_size * (m / denominator), [m, v]


OPTIMIZERS = ("sgd", "nesterov", "adagrad", "rmsprop", "adam")
# torch.optim's default learning rates of the adaptive optimizers: a good first setting (SGD's
# depends on the model: config.SUGGESTED_LEARNING_RATE)
DEFAULT_LEARNING_RATE = {"adagrad": 0.01, "rmsprop": 0.01, "adam": 0.001}
# optimizers whose update reads the momentum setting (the others keep their own moment estimates)
USES_MOMENTUM = ("sgd", "nesterov", "rmsprop")


def state_arrays(name: str, momentum: float = 0.0) -> int:
    """How many arrays per parameter the optimizer `name` keeps as its state."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    return {"sgd": 1 if momentum else 0, "nesterov": 1, "adagrad": 1,
            "rmsprop": 2 if momentum else 1, "adam": 2}[name]


def make_optimizer(name: str, params, learning_rate: float, momentum: float = 0.0,
                   weight_decay: float = 0.0, schedule=None, nesterov: bool = False) -> Optimizer:
    """The optimizer called `name` (one of OPTIMIZERS) over params, with torch.optim's defaults for
    the settings not given. momentum is read by SGD, Nesterov and RMSProp only; nesterov=True makes
    "sgd" Nesterov's."""
    if name in ("sgd", "nesterov"):
        return SGD(params, learning_rate, momentum, weight_decay, schedule, nesterov or name == "nesterov")
    if name == "adagrad":
        return AdaGrad(params, learning_rate, weight_decay, schedule)
    if name == "rmsprop":
        return RMSProp(params, learning_rate, weight_decay, schedule, momentum=momentum)
    if name == "adam":
        return Adam(params, learning_rate, weight_decay, schedule)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
