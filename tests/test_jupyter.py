"""``%load_ext derive`` and ``%%derive``: a real notebook run once in a real kernel (this
interpreter), and the cell logic in-process against ``derive check`` on the same text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from derive.cli import cli
from derive.jupyter import Session, run_cell

NOTEBOOK = Path(__file__).parent / "data" / "derive-magic.ipynb"

HEADER_CELL = r"""<!-- derive
softmax: o of v
labels: y one-hot
loss: L = -\sum_{k=1}^{K} y_k \log o_k
-->

$$
\frac{\partial o_i}{\partial v_j} = -o_i o_j \qquad i \neq j
$$

<!-- derive: case i = j -->
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook, executed once by nbclient in a kernel that runs this interpreter, with
    a cache, an IPython profile and a working folder of its own (nothing written in the repo)."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    root = tmp_path_factory.mktemp("notebook")
    # A kernelspec named python3 first on JUPYTER_PATH: the kernel is this interpreter, not
    # whichever python3 another installation registered.
    spec = root / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_PATH", str(root / "jupyter"))
        env.setenv("DERIVE_CACHE_DIR", str(root / "cache"))
        env.setenv("IPYTHONDIR", str(root / "ipython"))
        client = nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}
        )
        client.execute()
    return {cell.get("id"): cell for cell in nb.cells}


def _markdown(cell) -> str:
    return "\n".join(o["data"]["text/markdown"] for o in cell.outputs if "text/markdown" in o.get("data", {}))


def _stream(cell, name: str) -> str:
    return "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream" and o["name"] == name)


def test_the_kernel_is_this_interpreter_and_nothing_raised(executed):
    assert _stream(executed["interpreter"], "stdout").strip() == sys.executable
    for name, cell in executed.items():
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o["output_type"] == "error"], name
            assert "Traceback" not in _stream(cell, "stderr"), name


def test_each_checked_cell_shows_one_display_named_by_its_prompt(executed):
    for name in ("header", "relies", "tex", "wrong", "headerless"):
        cell = executed[name]
        shown = [o for o in cell.outputs if o["output_type"] == "display_data"]
        assert len(shown) == 1, name  # the Markdown, and nothing drawn on the way (rich's own display)
        assert set(shown[0]["data"]) == {"text/markdown", "text/plain"}, name
        assert f"In[{cell.execution_count}]:" in shown[0]["data"]["text/markdown"], name


def test_a_cell_with_a_header_and_a_holding_chain(executed):
    shown = _markdown(executed["header"])
    assert "# The softmax Jacobian, off the diagonal" in shown
    assert shown.count("✓ proved for all K") == 2
    assert "✗" not in shown
    assert "$i \\neq j$" in shown  # the case the steps cite
    assert "From earlier" not in shown  # nothing was carried into the first cell


def test_a_later_cell_relies_on_the_earlier_header(executed):
    shown = _markdown(executed["relies"])
    assert "the notation header of In[" in shown
    assert shown.count("✓ proved for all K") == 2
    assert "$y \\text{ one-hot}$" in shown  # the header's standing fact, needed by the last step
    assert "unknown symbol" not in shown and "✗" not in shown
    assert "case" not in shown.split("\n")[0]  # the heading ended the case: not carried


def test_latex_cell(executed):
    shown = _markdown(executed["tex"])
    assert "\\frac{\\partial L}{\\partial o_k} &= -\\frac{y_k}{o_k}" in shown  # as the cell writes it
    assert "✓ proved for all K" in shown
    assert "--require" not in shown  # proved meets --require proved


def test_a_wrong_step_fails_with_its_counterexample(executed):
    shown = _markdown(executed["wrong"])
    rows = [line for line in shown.splitlines() if line.startswith("| (")]
    assert len(rows) == 2
    assert "✓ proved for all K" in rows[0]
    assert "✗ **fails**" in rows[1]
    assert "counterexample: K = 2, i = 1;" in rows[1]
    assert "left = -1/2, right = 1/2" in rows[1]
    assert "1 failed" in shown
    text = "".join(o["data"]["text/plain"] for o in executed["wrong"].outputs if o["output_type"] == "display_data")
    assert "✗ fails" in text and "counterexample: K = 2, i = 1;" in text  # a terminal front end sees it too


def test_bad_input_is_one_line_in_the_output(executed):
    cell = executed["bad"]
    error = _stream(cell, "stderr")
    assert error.count("\n") == 1
    assert error.startswith("derive: In[") and ":1:5: unknown directive 'frobnicate'" in error
    assert not _markdown(cell)


def test_after_reset_a_cell_without_header_says_what_it_cannot_read(executed):
    assert "forgotten" in _stream(executed["reset"], "stdout")
    shown = _markdown(executed["headerless"])
    assert "From earlier" not in shown
    assert "Not checked (1):" in shown
    assert "does not read: unknown symbol o" in shown
    assert "**Nothing to check**" in shown
    assert "✓" not in shown


# In-process: the cell logic alone (no kernel), each against `derive check` where it matters.


def _statuses(outcome) -> list[tuple[str, str]]:
    return [(v.status.value, v.label) for v in outcome.result.steps]


def _cli_statuses(tmp_path, text: str, *options: str) -> list[tuple[str, str]]:
    path = tmp_path / "cell.md"
    path.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(cli, ["check", str(path), "--format", "json", *options])
    assert run.exit_code in (0, 1), run.output
    return [(step["verdict"], step["label"]) for step in json.loads(run.stdout)["steps"]]


def test_carried_header_and_case_are_what_derive_check_reads(tmp_path):
    """A cell under a carried header and case is checked as `derive check --notation` checks
    the cell after that case directive: the same verdicts, never a step more that holds."""
    session = Session()
    first = run_cell(session, "", HEADER_CELL, "In[1]")
    assert first.error is None and _statuses(first) == [("holds", "proved for all K")]
    assert session.case is not None and session.case.text == "case i = j"
    cell = (
        "$$\n\\frac{\\partial o_i}{\\partial v_j} = o_i (1 - o_j)\n$$\n"
        "$$\n\\frac{\\partial o_i}{\\partial v_j} = o_i o_j\n$$\n"
    )
    later = run_cell(session, "", cell, "In[2]")
    assert later.error is None
    assert "the notation header of In[1]" in later.markdown and "`case i = j` (set at In[1]:11:5)" in later.markdown
    assert _statuses(later) == [("holds", "proved for all K"), ("fails", "fails")]
    assert [v.cited for v in later.result.steps][0]  # the carried case is cited, as in a file
    assert [step.where for step in later.result.checked.derivation.steps] == ["In[2]:2:37", "In[2]:5:37"]

    header = tmp_path / "header.txt"
    header.write_text("softmax: o of v\nlabels: y one-hot\nloss: L = -\\sum_{k=1}^{K} y_k \\log o_k\n")
    in_a_file = _cli_statuses(tmp_path, "<!-- derive: case i = j -->\n" + cell, "--notation", str(header))
    assert _statuses(later) == in_a_file
    # Without the carried case the first step holds only if i = j: the CLI and the magic agree.
    session.case = None
    alone = run_cell(session, "", cell, "In[3]")
    assert _statuses(alone)[0] == ("fails", "fails")
    assert _statuses(alone) == _cli_statuses(tmp_path, cell, "--notation", str(header))


def test_a_cell_with_its_own_header_replaces_the_carried_one():
    session = Session()
    run_cell(session, "", HEADER_CELL, "In[1]")
    own = "<!-- derive\nsoftmax: s of z\n-->\n\n$$\n\\frac{\\partial s_i}{\\partial z_i} = s_i (1 - s_i)\n$$\n"
    outcome = run_cell(session, "", own, "In[2]")
    assert "From earlier" not in outcome.markdown  # neither the header nor the case i = j
    assert _statuses(outcome) == [("holds", "proved for all K")]
    assert session.header_from == "In[2]" and session.case is None
    stale = run_cell(session, "", "$$\n\\frac{\\partial o_i}{\\partial v_i} = o_i (1 - o_i)\n$$\n", "In[3]")
    assert "unknown symbol o" in stale.markdown and not stale.result.steps


@pytest.mark.parametrize(
    ("line", "cell", "expected"),
    [
        ("--bogus", "$$ s_i = s_i $$", "%%derive: unrecognized arguments: --bogus (usage: %%derive"),
        ("--require strongly", "$$ s_i = s_i $$", "%%derive: argument --require: invalid choice: 'strongly'"),
        ("--time-limit 0", "$$ s_i = s_i $$", "%%derive: --time-limit must be a positive number of seconds"),
        ('--notation "unclosed', "$$ s_i = s_i $$", "%%derive: No closing quotation"),
        ("--notation missing.txt", "$$ s_i = s_i $$", "missing.txt:1:1: cannot read the notation file"),
        ("", "   \n", "In[7]:1:1: the cell is empty"),
        ("", "<!-- derive\nsoftmax s of z\n-->\n$$ s_i = s_i $$", "In[7]:2:1: header line 'softmax s of z'"),
    ],
)
def test_bad_input_and_bad_options_are_one_line(line, cell, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    session = Session()
    outcome = run_cell(session, line, cell, "In[7]")
    assert outcome.markdown is None and outcome.error is not None
    assert outcome.error.startswith(expected), outcome.error
    assert "\n" not in outcome.error
    assert session.header is None  # nothing carried from a cell that did not read


def test_require_is_said_when_a_step_is_weaker():
    cell = "$$ 0.2 \\cdot 0.3 = 0.06 $$"
    weaker = run_cell(Session(), "--require proved", cell, "In[1]")
    assert weaker.result.status("proved") == 1
    assert "**--require proved is not met: step 1 is holds to the digits written" in weaker.markdown
    enough = run_cell(Session(), "--require numeric", cell, "In[1]")
    assert enough.result.status("numeric") == 0 and "--require" not in enough.markdown


def test_a_case_ended_where_the_reader_ends_it_is_not_carried_further():
    # The carried directive in front of the cell turns its front matter into a heading, which
    # ends the case for the reader: the next cell must not get it back (it made s_i - s_i^2
    # hold off the diagonal).
    from derive.jupyter import Session, run_cell

    session = Session()
    step = "$$\n\\frac{\\partial s_i}{\\partial z_j} = s_i - s_i^2\n$$\n"
    cells = ["<!-- derive: case i = j -->\n" + step, "---\ntitle: Off the diagonal\n---\n" + step, step]
    outcomes = [run_cell(session, "", cell, f"In[{n}]") for n, cell in enumerate(cells, start=1)]
    assert "proved" in outcomes[0].text
    assert "fails" in outcomes[2].text and "case i = j" not in outcomes[2].text, outcomes[2].text


def test_a_time_limit_beyond_a_day_is_one_line():
    from derive.jupyter import Session, run_cell

    outcome = run_cell(Session(), "--time-limit 3e6", "$$ s_i = s_i $$\n", "In[1]")
    assert outcome.error == "%%derive: --time-limit must be at most 86400 seconds, a day (got 3e+06)"
