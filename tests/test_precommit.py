"""derive as a pre-commit hook: pre-commit itself, on a git repository of its own, installs
this repository's hook (.pre-commit-hooks.yaml) and runs it on a derivation that holds and
on one with a false step.

pre-commit builds the hook's repository at one commit and pip-installs it into an
environment of its own (from the package index pip is configured with): about 40 s the
first time, measured on two shared cores; the environment is then kept (in a PRE_COMMIT_HOME
of this module's own, never the user's) and each run takes about a second. The commit is a
snapshot of this checkout as it is now (tracked and untracked files, .gitignore respected),
made in a repository of its own: `pre-commit try-repo` would also build the uncommitted
state, but it takes only files already tracked (a new hook file would be missing), and it
installs a fresh environment on every call.

It takes about a minute (pre-commit installs derive into an environment of its own), so it
runs when DERIVE_REQUIRE_PRECOMMIT is set (.ci/run sets it), and then a missing tool fails
it; otherwise it is skipped, saying so, and the README's test command stays within minutes.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HOLDS = r"""# The cross-entropy gradient

<!-- derive
softmax: s of z
labels: y sums to one
loss: L = -\sum_{k=1}^{K} y_k \log s_k
-->

## The softmax Jacobian off the diagonal

<!-- derive: case i \neq j -->
$$
\frac{\partial s_i}{\partial z_j} = -s_i s_j
$$

## The gradient

$$
\frac{\partial L}{\partial z_i} = -\sum_{k=1}^{K} y_k (\delta_{ki} - s_i) = s_i - y_i
$$
"""

# The same derivation with the last link's sign turned round.
FALSE_STEP = HOLDS.replace(r"= s_i - y_i", r"= y_i - s_i")

NOT_A_DERIVATION = """# A project

Install it with pip. The hosted version costs $5 a month, or $50 a year.
"""


def _tool(name: str) -> str | None:
    """The executable: on PATH, or beside the running Python (a virtual environment that was
    not activated)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout.strip()


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory):
    """A git repository, as a user of the hook has, whose .pre-commit-config.yaml uses the
    hook `derive` of a snapshot of this checkout; and the environment to run pre-commit in."""
    if not os.environ.get("DERIVE_REQUIRE_PRECOMMIT"):
        pytest.skip("running pre-commit takes about a minute: set DERIVE_REQUIRE_PRECOMMIT=1 (.ci/run does)")
    how = {"pre-commit": "pip install '.[test]'", "git": "install git"}
    missing = [f"{name} not found ({how[name]})" for name in how if _tool(name) is None]
    if missing:
        reason = "the pre-commit hook is not tested: " + "; ".join(missing)
        pytest.fail(f"DERIVE_REQUIRE_PRECOMMIT is set but {reason}")
    assert (ROOT / ".pre-commit-hooks.yaml").is_file()

    base = tmp_path_factory.mktemp("precommit")
    (base / "gitconfig").write_text("")
    env = dict(os.environ)
    env.pop("SKIP", None)  # pre-commit's list of hooks not to run: the user's, not ours
    env.update(
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        # git of its own: no user or system configuration (commit signing, hooks paths)
        GIT_CONFIG_GLOBAL=str(base / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="derive tests",
        GIT_AUTHOR_EMAIL="tests@derive.invalid",
        GIT_COMMITTER_NAME="derive tests",
        GIT_COMMITTER_EMAIL="tests@derive.invalid",
    )
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)

    # The snapshot: this checkout's files, as they are now, committed in a repository of its
    # own (this checkout's .git is only read).
    snapshot = base / "derive-snapshot"
    snapshot.mkdir()
    _git("init", "-q", cwd=snapshot, env=env)
    snap_git = ["--git-dir", str(snapshot / ".git"), "--work-tree", str(ROOT)]
    _git(*snap_git, "add", "-A", cwd=ROOT, env=env)
    _git(*snap_git, "commit", "-q", "--no-verify", "-m", "snapshot", cwd=ROOT, env=env)
    rev = _git("--git-dir", str(snapshot / ".git"), "rev-parse", "HEAD", cwd=snapshot, env=env)

    repo = base / "user-repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo, env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: derive\n"
    )
    (repo / "holds.md").write_text(HOLDS)
    (repo / "false-step.md").write_text(FALSE_STEP)
    (repo / "README.md").write_text(NOT_A_DERIVATION)
    _git("add", "-A", cwd=repo, env=env)
    _git("commit", "-q", "--no-verify", "-m", "derivations", cwd=repo, env=env)
    return repo, env


def _pre_commit(user_repo, tmp_path, *files: str) -> subprocess.CompletedProcess:
    repo, env = user_repo
    env = dict(env, DERIVE_CACHE_DIR=str(tmp_path / "derive-cache"))  # every verdict afresh
    # --verbose: derive's output also when the hook passes. The first run installs derive.
    return subprocess.run(
        [_tool("pre-commit"), "run", "--verbose", "--color", "never", "--files", *files],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=1200,
    )


def test_the_hook_passes_on_a_derivation_that_holds(user_repo, tmp_path):
    run = _pre_commit(user_repo, tmp_path, "holds.md")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert re.search(r"^derive \(check every step of the derivations\)\.+Passed$", out, re.M), out
    assert "holds.md: 3 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 0 failed" in out, out


def test_the_hook_fails_on_a_false_step_and_shows_the_counterexample(user_repo, tmp_path):
    run = _pre_commit(user_repo, tmp_path, "false-step.md")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert re.search(r"^derive \(check every step of the derivations\)\.+Failed$", out, re.M), out
    assert "- exit code: 1" in out, out
    # derive's own report: the step, its place, the verdict and a counterexample to check by hand
    assert "false-step.md:19:77" in out, out
    assert re.search(r"= y_i . s_i\n.*false-step\.md:19:77\n\s+. fails\n", out), out
    assert re.search(r"counterexample: K = \d+, i = \d+; .*: left = \S+, right = \S+", out), out
    assert "false-step.md: 3 checked, 0 not read, 0 skipped by a directive, 0 not an equality, 1 failed" in out, out


def test_a_file_with_no_derive_header_is_passed_over(user_repo, tmp_path):
    """Not every Markdown file is a derivation: the hook passes over a file with no derive
    header or directive (derive check --marked-only), saying so, so a README does not stop
    a commit."""
    run = _pre_commit(user_repo, tmp_path, "README.md")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert re.search(r"^derive \(check every step of the derivations\)\.+Passed$", out, re.M), out
