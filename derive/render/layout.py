"""How every format lays a checked derivation out: parts (a heading and its steps), the
hypotheses a part assumes, and each step's number."""

from __future__ import annotations

from dataclasses import dataclass

from derive.core import CheckedDerivation, Step, Verdict


@dataclass(frozen=True)
class NumberedStep:
    number: int
    step: Step
    verdict: Verdict


@dataclass(frozen=True)
class Part:
    heading: str | None
    steps: tuple[NumberedStep, ...]

    @property
    def assumed(self):
        """The hypotheses the part's steps cite, in order of first citation, so that every
        format can state them before the case they govern."""
        seen = []
        for item in self.steps:
            for h in item.step.cites:
                if h not in seen:
                    seen.append(h)
        return tuple(seen)


def parts(checked: CheckedDerivation) -> tuple[Part, ...]:
    """Steps grouped by heading, in order; a derivation without headings is one part."""
    grouped: list[tuple[str | None, list[NumberedStep]]] = []
    for number, (step, verdict) in enumerate(checked.pairs, start=1):
        if step.heading is not None or not grouped:
            grouped.append((step.heading, []))
        grouped[-1][1].append(NumberedStep(number, step, verdict))
    return tuple(Part(heading, tuple(items)) for heading, items in grouped)
