"""The corpus of real derivations (bench/corpus): what it holds, and derive's score on it.

The structural checks always run. Judging every claim again and scoring derive on every file
(minutes) run where DERIVE_CORPUS=1, as .ci/run sets: there a false accept, or any figure
below the one recorded in bench/corpus/score.json, fails the build.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "bench" / "corpus" / "files"
FOLDERS = sorted(p for p in FILES.iterdir() if p.is_dir())
ROLE_KEYS = {"softmax", "labels", "classes", "examples", "loss", "scalars", "temperature"}
MATH = re.compile(
    r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$|\\\[(.+?)\\\]|\\\((.+?)\\\)"
    r"|(\\begin\{(equation|align|aligned|gather|multline|eqnarray|split|flalign|alignat)\*?\}.+?\\end\{\6\*?\})",
    re.S,
)
HEAVY = os.environ.get("DERIVE_CORPUS") == "1"


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_corpus_is_large_enough_and_has_real_errors():
    links = errors = 0
    sources = set()
    for folder in FOLDERS:
        table = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        links += sum(1 for c in table["claims"] if c["kind"] == "link")
        errors += sum(1 for c in table["claims"] if c["kind"] == "link" and c["truth"] is False)
        source = (folder / "source.md").read_text(encoding="utf-8")
        found = re.search(r"(https?://\S+|Repository: [^,\s]+)", source)
        assert found, f"{folder.name}: source.md names no URL or repository"
        path = re.search(r"`([^`\s]+\.(?:md|ipynb|tex|html|markdown))`", source)  # one repository, several notes
        sources.add((found.group(1).rstrip(".,)`"), path.group(1) if path else ""))
    assert len(FOLDERS) >= 30 and errors >= 15 and links >= 300
    assert len(sources) == len(FOLDERS), "two folders transcribe the same source"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_each_file_has_its_excerpt_source_notation_and_truth(folder):
    for name in ("excerpt.txt", "source.md", "notation.txt", "claims.py", "truth.json"):
        assert (folder / name).is_file(), f"{folder.name}: no {name}"
    (document,) = [p for p in folder.iterdir() if p.stem == "derivation"]
    assert document.suffix in (".md", ".tex", ".ipynb")
    for line in (folder / "notation.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            assert line.split(":", 1)[0].strip() in ROLE_KEYS, f"{folder.name}: {line!r} is not a role key"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_the_transcriptions_mathematics_is_the_excerpts(folder):
    (document,) = [p for p in folder.iterdir() if p.stem == "derivation"]
    text = document.read_text(encoding="utf-8")
    excerpt = _squeezed((folder / "excerpt.txt").read_text(encoding="utf-8"))
    spans = [next(g for g in m.groups() if g) for m in MATH.finditer(text)]
    assert spans, f"{folder.name}: no mathematics found"
    missing = [span for span in spans if _squeezed(span) not in excerpt]
    assert not missing, f"{folder.name}: not in the excerpt: {missing[:3]}"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_claim_is_at_a_relation_of_the_transcription(folder):
    (document,) = [p for p in folder.iterdir() if p.stem == "derivation"]
    lines = document.read_text(encoding="utf-8").split("\n")
    table = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    for claim in table["claims"]:
        assert 1 <= claim["line"] <= len(lines), claim
        assert claim["kind"] in ("link", "definition", "fact", "case", "not-equality", "rule")
        if claim["kind"] == "link":
            assert claim["truth"] in (True, False), claim


@pytest.mark.skipif(not HEAVY, reason="judging the whole corpus takes minutes: set DERIVE_CORPUS=1 (.ci/run does)")
def test_the_judge_still_gives_the_recorded_truth():
    from bench.judge_corpus import judge_folder

    for folder in FOLDERS:
        table, problems = judge_folder(folder)
        assert not problems, (folder.name, problems)
        recorded = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        assert [c.get("truth") for c in table["claims"]] == [c.get("truth") for c in recorded["claims"]], folder.name


@pytest.mark.skipif(not HEAVY, reason="scoring derive on the whole corpus takes minutes: set DERIVE_CORPUS=1")
@pytest.mark.parametrize("score, with_notation", [("score.json", True), ("score-as-written.json", False)])
def test_derive_makes_no_false_accept_and_keeps_its_recorded_score(score, with_notation):
    from bench.corpus import score_folder, totals

    recorded = json.loads((ROOT / "bench" / "corpus" / score).read_text(encoding="utf-8"))
    assert recorded["with_notation"] is with_notation
    recorded = recorded["totals"]
    scores = [score_folder(folder, with_notation) for folder in FOLDERS]
    now = totals(scores)
    accepted = [d for s in scores for d in s.details if "false accept" in d]
    assert now["false_accepts"] == 0, accepted
    for figure in ("correct", "errors_caught", "mutants_caught"):
        assert now[figure] >= recorded[figure], (figure, now[figure], recorded[figure])
