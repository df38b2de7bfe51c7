"""Derivation files of any length for the speed benchmark: every step true and distinct
(other index letters, bound letters and constants, not copies), one step a block, each under
its own heading so that a case directive covers that step only.

    python bench/generated.py 100 > steps.md   # then: derive check steps.md
"""

from __future__ import annotations

import random
import sys

INDEX_LETTERS = list("ijklmnopqrtuvw")

HEADER = """# {count} generated steps

<!-- derive
softmax: s of z
classes: K
-->
"""


def _step(rng: random.Random, template: int) -> tuple[str | None, str]:
    """(the case the step assumes, or None; its LaTeX)."""
    a, b, c, d = rng.sample(INDEX_LETTERS, 4)
    alpha, beta = rng.randint(2, 9), rng.randint(2, 9)
    if template == 0:
        return (
            rf"{a} \neq {b}",
            rf"{alpha} \frac{{\partial s_{a}}}{{\partial z_{b}}} + s_{d} = -{alpha} s_{a} s_{b} + s_{d}",
        )
    if template == 1:
        return rf"{a} = {b}", rf"{alpha} \frac{{\partial s_{a}}}{{\partial z_{b}}} = {alpha} s_{a} (1 - s_{a})"
    if template == 2:
        return None, (
            rf"{alpha} \frac{{\partial s_{a}}}{{\partial z_{b}}} + {beta} s_{d}"
            rf" = {alpha} s_{a} (\delta_{{{a}{b}}} - s_{b}) + {beta} s_{d}"
        )
    if template == 3:
        return (
            None,
            rf"{alpha} \frac{{\partial}}{{\partial z_{b}}} \log s_{a} = {alpha} \delta_{{{a}{b}}} - {alpha} s_{b}",
        )
    if template == 4:
        return None, rf"\sum_{{{c}=1}}^{{K}} {alpha} s_{c} + s_{a} = {alpha} + s_{a}"
    if template == 5:
        return None, rf"{alpha} s_{a} = \frac{{{alpha} e^{{z_{a}}}}}{{\sum_{{{c}=1}}^{{K}} e^{{z_{c}}}}}"
    if template == 6:
        return None, rf"\sum_{{{c}=1}}^{{K}} \delta_{{{a}{c}}} {alpha} s_{c} = {alpha} s_{a}"
    return (
        None,
        rf"\frac{{\partial}}{{\partial z_{b}}} \log \sum_{{{c}=1}}^{{K}} e^{{z_{c}}} + {alpha} = s_{b} + {alpha}",
    )


TEMPLATES = 8


def derivation_text(count: int, seed: int = 0) -> str:
    """A file of ``count`` true steps, cycling through the templates with random letters."""
    rng = random.Random(seed)
    parts, seen = [HEADER.format(count=count)], set()
    number = 0
    while number < count:
        case, latex = _step(rng, number % TEMPLATES)
        if latex in seen:  # the same letters and constants drawn twice: draw again
            continue
        seen.add(latex)
        number += 1
        parts.append(f"## Step {number}\n")
        if case is not None:
            parts.append(f"<!-- derive: case {case} -->\n")
        parts.append(f"$$\n{latex}\n$$\n")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(derivation_text(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
