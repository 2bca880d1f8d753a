"""Stochastic gradient descent with momentum, weight decay and learning-rate schedules.

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


class SGD:
    """p ← p − ηₜ (v), v = μ v + (∇ + λ p); with μ = λ = 0 this is plain p ← p − ηₜ ∇.

    Plain SGD asks the model for gradients already scaled by −ηₜ (`gradient_scale`), so its update is
    a single addition per parameter.
    """

    def __init__(self, params, learning_rate=0.1, momentum=0.0, weight_decay=0.0, schedule=None):
        if not learning_rate > 0:
            raise ValueError(f"learning rate must be positive, got {learning_rate}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        if not (math.isfinite(weight_decay) and weight_decay >= 0):
            raise ValueError(f"weight decay must be a number ≥ 0, got {weight_decay}")
        self.params = list(params)
        self.learning_rate = learning_rate
        self.momentum, self.weight_decay = momentum, weight_decay
        self.schedule = schedule or Constant()
        self.steps = 0
        self.velocity = [np.zeros_like(p) for p in self.params] if momentum else []

    @property
    def plain(self) -> bool:
        return not (self.momentum or self.weight_decay)

    def current_learning_rate(self) -> float:
        return self.learning_rate * self.schedule(self.steps)

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
        lr = self.current_learning_rate()
        if self.plain and scale == -lr:
            for p, g in zip(self.params, grads):
                p += g
            self.steps += 1
            return True
        velocities, updated = [], []
        with np.errstate(over="ignore", invalid="ignore"):
            for i, (p, g) in enumerate(zip(self.params, grads)):
                g = g / scale if scale != 1.0 else g
                if self.weight_decay:
                    g = g + self.weight_decay * p
                if self.momentum:
                    g = self.momentum * self.velocity[i] + g
                    velocities.append(g)
                updated.append(p - lr * g)
        if not all(np.isfinite(a).all() for a in updated + velocities):
            return False
        for target, value in zip(self.params + self.velocity, updated + velocities):
            target[...] = value
        self.steps += 1
        return True
