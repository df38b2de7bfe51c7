"""LaTeX, Markdown and JSON exports: they compile / render / validate, a failed step is
exported as failed in every format, and no format shows a stronger label than the core gave.

The TeX and KaTeX tests need a TeX engine (latexmk) and KaTeX (node + the katex npm
package, found through DERIVE_KATEX_DIR or node's own resolution). Where they are missing
the tests skip with the reason, unless DERIVE_REQUIRE_TEX / DERIVE_REQUIRE_KATEX is set (as
.ci/run does): then a missing tool is a failure.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import sympy as sp

from derive.core import Derivation, Step, Strength, check_derivation, one_hot
from derive.render.formats import FORMATS, export
from derive.render.json_export import SCHEMA
from derive.render.markdown import math_blocks
from derive.render.notebook import NotebookView


@pytest.fixture(scope="module")
def exact_only():
    """A true step the symbolic normal form cannot prove: the core labels it exact."""
    from derive.core import indices, softmax_notation

    nt = softmax_notation()
    y, z, K = nt.labels, nt.logits, nt.classes
    (k,) = indices("k")
    step = Step(sp.Sum(y[k] * z[k], (k, 1, K)) ** 2, sp.Sum(y[k] * z[k] ** 2, (k, 1, K)), (one_hot(y),), rule="one-hot")
    checked = check_derivation(Derivation("exact-only", "An exact-only step", nt, (step,)))
    assert checked.verdicts[0].strength is Strength.EXACT
    return checked


def _require(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0")


# -- JSON ----------------------------------------------------------------------------------


def test_every_json_export_validates(builtins_checked, with_failure, exact_only):
    for checked in [*builtins_checked.values(), with_failure[0], exact_only]:
        data = json.loads(export(checked, "json"))
        jsonschema.validate(data, SCHEMA)
        assert list(data) == [
            "$schema", "schema_version", "derive_version", "derivation", "title", "steps", "not_read", "summary"
        ]  # fmt: skip
        assert len(data["steps"]) == len(checked.verdicts)


def test_the_schema_rejects_broken_exports(builtins_checked):
    good = json.loads(export(builtins_checked["ce-grad"], "json"))
    jsonschema.validate(good, SCHEMA)
    no_verdict = copy.deepcopy(good)
    del no_verdict["steps"][0]["verdict"]
    unknown_strength = copy.deepcopy(good)
    unknown_strength["steps"][0]["strength"] = "certain"
    wrong_version = copy.deepcopy(good)
    wrong_version["schema_version"] = 2
    holds_without_strength = copy.deepcopy(good)
    holds_without_strength["steps"][0]["strength"] = None
    for broken in (no_verdict, unknown_strength, wrong_version, holds_without_strength):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)


def test_json_copies_the_core_verdicts(builtins_checked):
    checked = builtins_checked["softmax-jacobian"]
    data = json.loads(export(checked, "json"))
    for step, verdict in zip(data["steps"], checked.verdicts):
        assert step["verdict"] == verdict.status.value
        assert step["strength"] == (verdict.strength.value if verdict.strength else None)
        assert step["label"] == verdict.label
    assert data["summary"]["proved"] == len(checked.verdicts)


# -- soundness of every format --------------------------------------------------------------


def test_a_failed_step_is_exported_as_failed_in_every_format(with_failure):
    checked, number = with_failure
    counterexample = checked.verdicts[number - 1].counterexample
    assert counterexample is not None
    for format in FORMATS:
        text = export(checked, format)
        assert "fails" in text, format
    data = json.loads(export(checked, "json"))
    failed = data["steps"][number - 1]
    assert failed["verdict"] == "fails" and failed["strength"] is None
    assert failed["counterexample"]["left"] == counterexample.left
    assert data["summary"]["failed"] == 1 and data["summary"]["all_hold"] is False
    assert f"Step ({number}) fails" in export(checked, "latex")
    assert "counterexample" in export(checked, "markdown")


def test_no_format_prints_a_stronger_label_than_the_core(exact_only):
    for format in ("text", "latex", "markdown"):
        text = export(exact_only, format)
        assert "proved for" not in text, format  # the summary may say "0 proved"
        assert "exact for" in text, format
    (step,) = json.loads(export(exact_only, "json"))["steps"]
    assert step["strength"] == "exact" and step["label"] == "exact for K ≤ 5" and step["scope"] == "K ≤ 5"


def test_the_notebook_view_shows_the_same_verdicts(with_failure):
    checked, number = with_failure
    view = NotebookView(checked)
    assert view._repr_markdown_() == export(checked, "markdown")
    latex = view._repr_latex_()
    assert latex.startswith("$$") and f"({number}) fails" in latex


# -- LaTeX compiles --------------------------------------------------------------------------


def _latexmk():
    found = shutil.which("latexmk")
    if found is None:
        if _require("DERIVE_REQUIRE_TEX"):
            pytest.fail("DERIVE_REQUIRE_TEX is set but latexmk is not installed")
        pytest.skip("no TeX engine: install latexmk and texlive (or set DERIVE_REQUIRE_TEX to demand them)")
    return found


def _compile(tex: str, directory: Path, name: str) -> str:
    source = directory / f"{name}.tex"
    source.write_text(tex, encoding="utf-8")
    run = subprocess.run(
        [_latexmk(), "-pdf", "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = (directory / f"{name}.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-3000:]
    assert "Undefined control sequence" not in log
    assert "! " not in log  # any TeX error
    assert (directory / f"{name}.pdf").stat().st_size > 1000
    return log


def test_every_latex_export_compiles(builtins_checked, with_failure, tmp_path):
    _latexmk()
    cases = {**builtins_checked, "with-failure": with_failure[0]}
    for name, checked in cases.items():
        _compile(export(checked, "latex"), tmp_path, name)
        fragment = export(checked, "latex", fragment=True)
        assert r"\documentclass" not in fragment and r"\begin{align*}" in fragment
        wrapper = (
            "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
            + fragment
            + "\\end{document}\n"
        )
        _compile(wrapper, tmp_path, f"{name}-fragment")


# What a paper's text after a pasted fragment is set in: size, leading, indentation, font.
_STATE = r"\makeatletter\typeout{STATE:\f@size/\the\baselineskip/\the\parindent/\the\parskip/\fontname\font}"


def _state_after(fragment: str, directory: Path, name: str) -> str:
    paper = (
        "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
        "Text before.\n\n" + fragment + "\nText after the fragment.\n" + _STATE + "\n\\end{document}\n"
    )
    log = _compile(paper, directory, name)
    (state,) = re.findall(r"^STATE:(.*)$", log, re.M)
    return state


def test_a_pasted_fragment_leaves_the_papers_text_as_it_was(builtins_checked, with_failure, tmp_path):
    _latexmk()
    plain = _state_after("", tmp_path, "plain")
    assert plain.startswith("10/12.0pt/15.0pt/0.0pt plus 1.0pt/")  # the article's own, as a check of the check
    for name, checked in {"ce-grad": builtins_checked["ce-grad"], "with-failure": with_failure[0]}.items():
        fragment = export(checked, "latex", fragment=True)
        assert fragment.startswith("% derive --fragment: needs \\usepackage{amsmath,amssymb}")
        assert _state_after(fragment, tmp_path, f"{name}-pasted") == plain, name
    # what the fragment keeps: the assumption each part makes, the failed step's counterexample
    assert "Assume $" in export(builtins_checked["ce-grad"], "latex", fragment=True)
    assert "Counterexample:" in export(with_failure[0], "latex", fragment=True)


# -- Markdown renders in KaTeX ----------------------------------------------------------------

_KATEX_SCRIPT = r"""
const katex = require(process.env.KATEX_MODULE || "katex");
const blocks = JSON.parse(require("fs").readFileSync(0, "utf8"));
for (const [source, display] of blocks) {
  katex.renderToString(source, {throwOnError: true, displayMode: display, strict: "error"});
}
console.log(blocks.length);
"""


def _katex_module() -> str:
    node = shutil.which("node")
    directory = os.environ.get("DERIVE_KATEX_DIR")
    candidates = [Path(directory) / "node_modules" / "katex"] if directory else []
    found = next((str(c) for c in candidates if c.exists()), None)
    if node is None or found is None:
        if _require("DERIVE_REQUIRE_KATEX"):
            pytest.fail("DERIVE_REQUIRE_KATEX is set but node or the katex package is missing (DERIVE_KATEX_DIR)")
        pytest.skip("KaTeX not available: set DERIVE_KATEX_DIR to a folder with node_modules/katex")
    return found


def test_every_markdown_math_block_renders_in_katex(builtins_checked, with_failure):
    module = _katex_module()
    for checked in [*builtins_checked.values(), with_failure[0]]:
        markdown = export(checked, "markdown")
        blocks = math_blocks(markdown)
        assert any(display for _, display in blocks)
        run = subprocess.run(
            ["node", "-e", _KATEX_SCRIPT],
            input=json.dumps(blocks),
            capture_output=True,
            text=True,
            env={**os.environ, "KATEX_MODULE": module},
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.strip() == str(len(blocks))


def test_every_export_lists_what_was_not_checked(tmp_path):
    from click.testing import CliRunner

    from derive.cli import cli

    path = tmp_path / "gap.md"
    path.write_text(
        "<!-- derive: case i = j -->\n$$\n\\frac{\\partial s_i}{\\partial z_j} = s_i - s_i^2\n$$\n\n"
        "## Another case\n\n$$\n= s_i(1 - s_i)\n$$\n",
        encoding="utf-8",
    )
    reason = "continues a chain across"
    for format in ("json", "markdown", "latex"):
        result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", format, str(path)])
        assert result.exit_code == 2, result.output  # the continuation was not read
        assert reason in result.output and "gap.md:8:3" in result.output, (format, result.output)
    data = json.loads(CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", str(path)]).output)
    jsonschema.validate(data, SCHEMA)
    assert [item["source"] for item in data["not_read"]] == ["= s_i(1 - s_i)"]


def test_markdown_escapes_a_place_in_angle_brackets_but_not_the_mathematics(builtins_checked, with_failure):
    import re

    from click.testing import CliRunner

    from derive.cli import cli

    maths = [
        math
        for checked in [*builtins_checked.values(), with_failure[0]]
        for line in export(checked, "markdown").splitlines()
        for math in re.findall(r"\$[^$]+\$", line)  # inline: the cells and the Assume lines
    ]
    assert not any("&lt;" in math for math in maths)  # KaTeX reads '<' as written, not '&lt;'
    assert any("<" in math for math in maths)
    text = "<!-- derive\nsoftmax: s of z\n-->\n\n$$ s_i (1 - s_i) = s_i + s_i^2 $$\n"
    result = CliRunner().invoke(cli, ["check", "-", "--format", "markdown"], input=text)
    assert result.exit_code == 1
    assert "&lt;stdin>:5:" in result.output and "<stdin>" not in result.output  # a tag would hide the place
