"""A document without a header (issue 14): derive learns its notation from what it writes, and
never makes a false step hold by what it infers. Each rule is fed documents built to mislead it."""

from __future__ import annotations

from derive.core import Status, check_derivation
from derive.read.derivation import read_derivation

HOLDS, FAILS = Status.HOLDS, Status.FAILS

SOFTMAX = "$$ p_j = \\frac{e^{o_j}}{\\sum_k e^{o_k}} $$\n\n"


def run(tmp_path, body: str, name: str = "d.md"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    derivation, skipped = read_derivation(path)
    verdicts = check_derivation(derivation).verdicts if derivation.steps else ()
    inferred = {item.text for item in skipped if item.kind == "inferred"}
    unread = [item for item in skipped if item.unread]
    return [v.status for v in verdicts], inferred, unread, verdicts


def test_a_softmax_the_core_proves_is_inferred_and_its_steps_are_checked(tmp_path):
    body = SOFTMAX + "$$ \\frac{\\partial p_j}{\\partial o_j} = p_j(1 - p_j) $$\n\n$$ \\sum_j p_j = 1 $$\n"
    statuses, inferred, unread, _ = run(tmp_path, body)
    assert "softmax: p of o" in inferred
    assert statuses == [HOLDS, HOLDS, HOLDS] and not unread


def test_a_definition_defined_after_its_first_use_still_gives_the_role(tmp_path):
    body = "$$ \\frac{\\partial p_j}{\\partial o_j} = p_j(1 - p_j) $$\n\nwhere\n\n" + SOFTMAX
    statuses, inferred, _, _ = run(tmp_path, body)
    assert "softmax: p of o" in inferred and statuses == [HOLDS, HOLDS]


def test_a_formula_that_only_looks_like_a_softmax_is_not_one(tmp_path):
    # e^{o_j} / (1 + Σ e^{o_k}) does not sum to one: inferring a softmax would accept Σ p = 1
    for wrong in (
        "\\frac{e^{o_j}}{1 + \\sum_k e^{o_k}}",
        "\\frac{e^{o_j}}{\\sum_k e^{2 o_k}}",
        "\\frac{e^{o_j}}{\\sum_k e^{o_j}}",
        "\\frac{e^{-o_j}}{\\sum_k e^{o_k}}",
    ):
        body = f"$$ p_j = {wrong} $$\n\n$$ \\sum_j p_j = 1 $$\n\n$$ \\frac{{\\partial p_j}}{{\\partial o_j}} = p_j(1-p_j) $$\n"
        statuses, inferred, _, _ = run(tmp_path, body)
        assert not any(line.startswith("softmax") for line in inferred), wrong
        assert HOLDS not in statuses[1:], (wrong, statuses)


def test_a_softmax_with_a_temperature(tmp_path):
    body = (
        "$$ q_i = \\frac{e^{z_i/T}}{\\sum_k e^{z_k/T}} $$\n\n"
        "$$ \\frac{\\partial q_i}{\\partial z_i} = \\frac{1}{T} q_i (1 - q_i) $$\n\n"
        "$$ \\frac{\\partial q_i}{\\partial z_i} = q_i (1 - q_i) $$\n"
    )
    statuses, inferred, _, _ = run(tmp_path, body)
    assert {"softmax: q of z", "temperature: T"} <= inferred
    assert statuses == [HOLDS, HOLDS, FAILS]


def test_one_hot_labels_only_when_the_words_say_so(tmp_path):
    steps = SOFTMAX + "$$ L = -\\sum_j y_j \\log p_j $$\n\n" + "$$ \\frac{\\partial L}{\\partial o_i} = p_i - y_i $$\n"
    said = {
        "The labels $y$ are one-hot.\n\n": HOLDS,
        "Here $y$ is not one-hot.\n\n": FAILS,
        "If $y$ is one-hot, more follows.\n\n": FAILS,
        "Nothing is said about the labels.\n\n": FAILS,
        "The vector $y$ sums to one.\n\n": HOLDS,
        "This holds given that $\\sum_k y_k = 1$ for every example.\n\n": HOLDS,
        "We never assume that $y$ sums to one.\n\n": FAILS,
        "Since exactly one of the $y_j$s is 1 and the rest are zeros this further simplifies to:\n\n": HOLDS,
        "Exactly one of the $y_j$ is 1 and the rest are 0.\n\n": HOLDS,
        "If exactly one of the $y_j$ is 1 and the rest are zeros, more follows.\n\n": FAILS,
        "Not exactly one of the $y_j$ is 1 and the rest are zeros.\n\n": FAILS,
        "Exactly one of the $y_j$ is 1 and the rest are zeros only in the first version.\n\n": FAILS,
        "Thus $y_o = 1$ for exactly one class and $0$ for all else - hence $\\sum_o y_o = 1$.\n\n": HOLDS,
        "Suppose $y_o = 1$ for exactly one class and $0$ for all else.\n\n": FAILS,
        "Since $y$ can only be 1 for the true class and 0 otherwise, this simplifies to:\n\n": HOLDS,
        "If $y$ can only be 1 for the true class and 0 otherwise, this simplifies to:\n\n": FAILS,
        "Then $y_o = 1$ for exactly one class and $0$ for all else, which is false here.\n\n": FAILS,
    }
    for words, expected in said.items():
        statuses, inferred, _, verdicts = run(tmp_path, words + steps)
        assert statuses[-1] is expected, (words, statuses, inferred)
        if expected is FAILS:
            assert "holds only if" in verdicts[-1].reason, words


def test_a_letter_before_a_parenthesis_is_never_made_a_variable(tmp_path):
    # f(x+1) = f x + f holds for a number f and fails for a function f: f stays unknown
    statuses, inferred, unread, _ = run(tmp_path, "$$ f(x+1) = f x + f $$\n\n$$ x + x = 2x $$\n")
    assert "scalars: f" not in inferred and "scalars: x" in inferred
    assert statuses == [HOLDS] and len(unread) == 1


def test_a_letter_before_a_parenthesis_of_an_expression_of_itself_is_a_product(tmp_path):
    # σ'(z) = z(1 - z) (42 of the corpus): z(1 - z) is z times 1 - z, and the step fails
    body = "$$ \\sigma(z) = \\frac{1}{1 + e^{-z}}, \\text{and}\\ \\frac{\\partial \\sigma(z)}{\\partial z} = z (1 - z) $$\n"
    statuses, inferred, unread, _ = run(tmp_path, body)
    assert "scalars: z" in inferred and statuses == [HOLDS, FAILS] and not unread
    statuses, _, _, _ = run(tmp_path, body.replace("z (1 - z)", "\\sigma(z) (1 - \\sigma(z))"))
    assert statuses == [HOLDS, HOLDS]
    # written once as a function of something else, it may be one everywhere: not a variable
    for other in ("z(x) + ", "z(1 - x) + ", "z(1 - z) + z(w) + "):
        statuses, inferred, _, _ = run(tmp_path, f"$$ {other}z(1 - z) = z - z^2 $$\n\n$$ x + x = 2x $$\n")
        assert "scalars: z" not in inferred, other


def test_a_letter_the_prose_calls_zero_or_one_is_a_number_before_a_parenthesis_too(tmp_path):
    # 45 of the corpus: "target $t$ is either $0$ or $1$" and t(1 + e^{-s}) later
    steps = "$$ E = -t \\log(z) - (1-t)\\log(1-z) $$\n\n$$ t(1 + e^{-s}) = t + t e^{-s} $$\n\n$$ t(1 + e^{-s}) = t $$\n"
    statuses, inferred, _, _ = run(tmp_path, "The target $t$ is either $0$ or $1$.\n\n" + steps)
    assert "scalars: t" in inferred and statuses == [HOLDS, FAILS]
    for words in ("Nothing is said of $t$.\n\n", "The function $t$ is either $0$ or $1$.\n\n", ""):
        statuses, inferred, _, _ = run(tmp_path, words + steps)
        assert "scalars: t" not in inferred and HOLDS not in statuses, words


def test_a_differentiated_letter_is_not_a_variable(tmp_path):
    # ∂E/∂x = 0 holds for a number E; E depends on x in the author's mind
    statuses, _, unread, _ = run(tmp_path, "$$ \\frac{\\partial E}{\\partial x} = 0 $$\n\n$$ x \\cdot 1 = x $$\n")
    assert statuses == [HOLDS] and len(unread) == 1


def test_a_name_on_the_left_is_defined_not_made_a_variable(tmp_path):
    body = (
        "$$ y = \\frac{1}{1 + e^{-z}} $$\n\n"
        "$$ \\frac{\\partial y}{\\partial z} = y(1-y) $$\n\n"
        "$$ \\frac{\\partial y}{\\partial z} = y $$\n"
    )
    statuses, inferred, _, _ = run(tmp_path, body)
    assert "scalars: z" in inferred and "scalars: y" not in inferred
    assert statuses == [HOLDS, FAILS]


def test_two_count_letters_are_not_made_the_same_count(tmp_path):
    # Σ_{i=1}^{N} y_i = Σ_{k=1}^{K} y_k holds when N and K are one count, and is false otherwise
    body = (
        SOFTMAX
        + "$$ \\sum_{k=1}^{K} p_k = 1 $$\n\n$$ \\sum_{k=1}^{K} p_k = 1 $$\n\n"
        + "$$ \\sum_{i=1}^{N} p_i = \\sum_{k=1}^{K} p_k $$\n"
    )
    statuses, inferred, unread, _ = run(tmp_path, body)
    assert "classes: K" not in inferred  # K is derive's own letter: not listed
    assert HOLDS not in statuses[3:] and len(unread) == 1


def test_a_header_wins_and_nothing_is_inferred(tmp_path):
    body = "<!-- derive\nsoftmax: s of z\n-->\n\n" + SOFTMAX
    statuses, inferred, unread, _ = run(tmp_path, body)
    assert not inferred and unread  # p is not declared by the header


def test_the_terminal_lists_what_was_inferred_first(tmp_path):
    from click.testing import CliRunner

    from derive.cli import cli

    path = tmp_path / "d.md"
    path.write_text(SOFTMAX + "$$ \\sum_j p_j = 1 $$\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    lines = result.output.splitlines()
    assert result.exit_code == 0, result.output
    assert lines[0].strip().startswith("inferred") and "softmax: p of o" in lines[0] and ":1:" in lines[0]


def test_a_bold_transposed_or_superscripted_letter_is_not_a_number(tmp_path):
    # read as numbers, W x = x W, s^2 = s s and D S = S D would hold; the author means a
    # matrix, an entry s^{(2)} and an operator
    for false in (
        "$$ \\mathbf{W}\\mathbf{x} = \\mathbf{x}\\mathbf{W} $$",
        "$$ W^T x = x W $$",
        "$$ s^i = \\frac{e^{z_i}}{3} $$\n\n$$ s^2 = s \\cdot s $$",
        "$$ \\mathbf{D} S = S \\mathbf{D} $$",
    ):
        statuses, inferred, unread, _ = run(tmp_path, false + "\n\n$$ a + a = 2a $$\n")
        assert statuses == [HOLDS] and unread, (false, statuses, inferred)


def test_a_fact_in_a_sentence_about_another_family_is_not_the_labels(tmp_path):
    steps = SOFTMAX + "$$ L = -\\sum_j y_j \\log p_j $$\n\n$$ \\frac{\\partial L}{\\partial o_i} = p_i - y_i $$\n"
    for words in (
        "The outputs $p_j$ sum to one, and $y$ is whatever it is.\n\n",
        "The vector $y$ would be one-hot but here it is smoothed.\n\n",
        "The sum of the $o_j$ is equal to 1 for $y$.\n\n",
        "$$ y \\text{ is one-hot} $$ is what we do not assume.\n\n",
    ):
        statuses, _, _, _ = run(tmp_path, words + steps)
        assert statuses[-1] is FAILS, (words, statuses)


def test_only_one_class_active_is_one_hot(tmp_path):
    body = (
        "Only one class is active in $t$, so $t$ is one-hot.\n\n"
        + SOFTMAX.replace("p_j", "y_j").replace("o", "z")
        + "$$ \\xi = -\\sum_c t_c \\log y_c $$\n\n$$ \\frac{\\partial \\xi}{\\partial z_i} = y_i - t_i $$\n"
    )
    statuses, inferred, _, _ = run(tmp_path, body)
    assert "labels: t one-hot" in inferred and statuses[-1] is HOLDS


def test_a_softmax_of_a_written_number_of_classes_is_not_the_softmax_over_every_count(tmp_path):
    # the steps are checked for every number of classes: with p_j = e^{o_j}/Σ_{k=1}^{3} e^{o_k}
    # read as the softmax over all C, Σ_{j=1}^{C} p_j = 1 would hold, and it is 4/3 at C = 4
    # (the twenty-third adversary)
    three = "$$ p_j = \\frac{e^{o_j}}{\\sum_{k=1}^{3} e^{o_k}} $$\n\n$$ \\sum_{j=1}^{C} p_j = 1 $$\n"
    statuses, inferred, _, _ = run(tmp_path, three)
    assert not any(line.startswith("softmax") for line in inferred) and HOLDS not in statuses
    for wrong in ("\\frac{e^{o_j}}{\\sum_{k=1}^{3} e^{2 o_k}}", "\\frac{e^{o_j}}{\\sum_{k=1}^{2} e^{o_k} + e^{o_3}}"):
        statuses, inferred, _, _ = run(tmp_path, f"$$ p_j = {wrong} $$\n\n$$ \\sum_j p_j = 1 $$\n")
        assert not any(line.startswith("softmax") for line in inferred), wrong
        assert HOLDS not in statuses[1:], wrong


# -- the thirteenth adversary's false accepts and hang (README and code only) ----------------------

GRADIENT = SOFTMAX + "$$ L = -\\sum_j y_j \\log p_j $$\n\n$$ \\frac{\\partial L}{\\partial o_i} = p_i - y_i $$\n"


def test_words_that_deny_a_fact_state_none(tmp_path):
    for words in (
        "The labels $y$ cannot be assumed one-hot.",
        "The labels $y$ aren\u2019t one-hot here.",
        "We proceed without assuming that $y$ is one-hot.",
        "Our targets $y$ are soft, unlike one-hot labels.",
        "The labels $y$ are rarely one-hot in distillation.",
        "In the first version of these notes the labels were one-hot; here $y$ is soft.",
        "The targets $y$ are raw class counts, so they don\u2019t sum to one.",
        "> The labels $y$ are one-hot.",
        "```\n# y is one-hot in the original code\n```",
        "<!-- TODO: $y$ one-hot? -->",
        "See [one-hot labels $y$](https://example.org).",
    ):
        statuses, inferred, _, _ = run(tmp_path, words + "\n\n" + GRADIENT)
        assert statuses[-1] is FAILS, (words, inferred)


def test_a_letter_the_prose_describes_is_not_made_a_number(tmp_path):
    for body in (
        "The probabilities are $p_i = \\frac{e^{z_i}}{Z}$, where $Z$ is the partition function, the sum of "
        "$e^{z_k}$ over the classes.\n\n$$ \\frac{\\partial}{\\partial z_i} \\frac{e^{z_i}}{Z} = \\frac{e^{z_i}}{Z} $$\n",
        "Let $w$ be a weight that depends on $x$.\n\n$$ \\frac{d}{dx}(x w) = w $$\n",
        "For invertible $n \\times n$ matrices $A$ and $B$,\n\n$$ (A B)^{-1} = A^{-1} B^{-1} $$\n",
    ):
        statuses, _, _, _ = run(tmp_path, body)
        assert HOLDS not in statuses, body


def test_derive_s_own_letters_give_way_to_what_the_prose_says(tmp_path):
    for words in (
        "Each output $s_k$ is the logistic sigmoid of its own logit $z_k$. The target $y$ is one-hot.",
        "The network outputs $s$, the softmax of the logits $z$, trained with the squared error $L$ "
        "between $s$ and the one-hot labels $y$.",
    ):
        body = words + "\n\n$$ \\frac{\\partial L}{\\partial z_i} = s_i - y_i $$\n"
        statuses, _, _, _ = run(tmp_path, body)
        assert HOLDS not in statuses, words


def test_a_temperature_proved_for_one_softmax_is_not_given_to_another(tmp_path):
    body = (
        "The probabilities are $p_j = \\frac{e^{o_j}}{\\sum_{k=1}^{C} e^{o_k}}$, and the softened ones are "
        "$q_j = \\frac{e^{o_j/T}}{\\sum_{k=1}^{C} e^{o_k/T}}$.\n\n"
        "$$ \\frac{\\partial p_i}{\\partial o_i} = \\frac{p_i (1 - p_i)}{T} $$\n"
    )
    statuses, _, _, _ = run(tmp_path, body)
    assert statuses[-1] is not HOLDS


def test_many_formulas_that_are_no_softmax_are_each_tried_once_and_briefly(tmp_path, monkeypatch):
    # the adversary's 251-byte file took 3 minutes: every e^{z_j} of a row retried the same
    # 20-second proof. Each (name, logits) pair is now tried once, within a short time limit,
    # and at most MAX_SOFTMAX_TRIALS pairs per document.
    import derive.core
    from derive.read import inference

    calls = []
    real = derive.core.check

    def counted(*args, **kwargs):
        calls.append(kwargs.get("time_limit"))
        return real(*args, **kwargs)

    monkeypatch.setattr(derive.core, "check", counted)
    row = (
        "$$ p_j = \\frac{e^{z_j} (1+e^{z_j})^{40} (5+e^{z_j}) (6+e^{z_j})}"
        "{\\sum_k e^{z_k} (2+e^{z_j})^{40} (3+e^{z_j}) (4+e^{z_j})} $$\n\n"
    )
    rows = "".join(row.replace("p_j", f"{name}_j") for name in "pqruvwghbc")
    run(tmp_path, rows + "$$ a + a = 2a $$\n")
    assert 1 <= len(calls) <= 2 * inference.MAX_SOFTMAX_TRIALS
    assert all(limit == inference.SOFTMAX_PROOF_SECONDS for limit in calls)


# -- the fourteenth adversary (a second round on the fixes above) ---------------------------------


def test_a_question_a_heading_struck_text_or_text_tex_skips_states_no_fact(tmp_path):
    for words in (
        "## Are the labels $y$ one-hot?\n\nNo: here they are soft targets.",
        "~~The labels $y$ are one-hot.~~",
        "## With one-hot labels $y$\n\nLater.",
    ):
        statuses, inferred, _, _ = run(tmp_path, words + "\n\n" + GRADIENT)
        assert statuses[-1] is FAILS, (words, inferred)
    tex = (
        "\\[ p_j = \\frac{e^{o_j}}{\\sum_{k=1}^{C} e^{o_k}} \\]\n\\[ L = -\\sum_{j=1}^{C} y_j \\log p_j \\]\n"
        "\\iffalse\n\nThe labels $y$ are one-hot.\n\n\\fi\n"
        "\\[ \\frac{\\partial L}{\\partial o_i} = p_i - y_i \\]\n"
    )
    statuses, _, _, _ = run(tmp_path, tex, name="d.tex")
    assert statuses[-1] is FAILS


def test_a_letter_described_in_parenthesis_math_or_braces_is_not_a_number(tmp_path):
    text = (
        "Let \\(Z\\) be the partition function, the sum of the exponentials of the logits \\(z_k\\).\n"
        "\\[ \\frac{\\partial}{\\partial z_i} \\frac{e^{z_i}}{Z} = \\frac{e^{z_i}}{Z} \\]\n"
    )
    statuses, _, _, _ = run(tmp_path, text, name="d.tex")
    assert HOLDS not in statuses
    statuses, _, _, _ = run(tmp_path, text.replace("\\(Z\\)", "${Z}$").replace("\\[", "$$").replace("\\]", "$$"))
    assert HOLDS not in statuses


def test_derive_s_own_letters_need_the_prose_to_agree(tmp_path):
    loss_step = "$$ \\frac{\\partial L}{\\partial z_i} = s_i - y_i $$\n"
    softmax_step = "$$ \\frac{\\partial s_k}{\\partial z_i} = s_k (\\delta_{ki} - s_i) $$\n"
    for words, step in (
        ("The outputs $s$ are the sparsemax of the logits $z$, which gives exact zeros.", softmax_step),
        ("The loss $L$ is the Brier score of the softmax outputs $s$. The labels $y$ are one-hot.", loss_step),
        ("The loss $L$ compares outputs and labels. It is the squared error. The labels $y$ are one-hot.", loss_step),
    ):
        statuses, _, _, _ = run(tmp_path, words + "\n\n" + step)
        assert HOLDS not in statuses, words
    text = (
        "Each output \\(s_k\\) is the logistic sigmoid of its own logit \\(z_k\\).\n"
        "\\[ \\frac{\\partial s_k}{\\partial z_i} = - s_k s_i \\quad (k \\neq i) \\]\n"
    )
    statuses, _, _, _ = run(tmp_path, text, name="d.tex")
    assert HOLDS not in statuses


def test_a_softmax_named_as_such_is_inferred_and_false_steps_still_fail(tmp_path):
    steps = "$$ \\sum_j p_j = 1 $$\n\n$$ \\frac{\\partial p_j}{\\partial o_j} = p_j(1 - p_j) $$\n\n"
    false = "$$ \\frac{\\partial p_j}{\\partial o_j} = p_j(1 + p_j) $$\n"
    for named in (
        "p_j = \\mathrm{softmax}(\\mathbf{o})_j",
        "p_j = \\operatorname{softmax}(o)_j",
        "p_{j} = softmax(o_{i})",
    ):
        statuses, inferred, _, _ = run(tmp_path, f"Here ${named}$ is the output.\n\n" + steps + false)
        assert "softmax: p of o" in inferred, named
        assert statuses == [HOLDS, HOLDS, FAILS], named


def test_a_formula_around_the_softmax_name_or_a_class_letter_names_no_softmax(tmp_path):
    steps = "$$ \\sum_j p_j = 1 $$\n\n$$ o_b + o_c = 2 $$\n"
    for written in (
        "p_j = 2\\,\\mathrm{softmax}(o)_j",
        "p_j = \\mathrm{softmax}(o)_j + 1",
        "p_j = \\mathrm{softmax}(2 o)_j",
        "p_b = softmax(b)",  # b is a class, never a family of logits
    ):
        statuses, inferred, _, _ = run(tmp_path, f"Here ${written}$.\n\n" + steps)
        assert not any(line.startswith("softmax") for line in inferred), written
        assert HOLDS not in statuses[:1], written


def test_the_softmax_by_name_with_no_softmax_inferred_is_not_read_and_never_crashes(tmp_path):
    from click.testing import CliRunner

    from derive.cli import cli

    path = tmp_path / "d.md"
    path.write_text("Let $s$ be a number.\n\n$$ x_j = \\mathrm{softmax}(2 o)_j $$\n\n$$ s + s = 2 s $$\n", "utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--no-cache"])
    assert "internal error" not in result.output and result.exit_code == 2, result.output
    assert "d.md:3:" in result.output and "not read" in result.output


def test_a_softmax_defined_for_any_input_is_the_softmax_of_the_family_it_is_applied_to(tmp_path):
    # 04 of the corpus: σ(z)_i is defined with z, and the derivation applies σ to a
    definition = "$$ \\sigma(\\mathbf{z})_i = \\frac{e^{z_i}}{\\sum_{j=1}^K e^{z_j}} $$\n\n"
    steps = (
        "$$ \\frac{\\partial [\\sigma(\\mathbf{a})]_i}{\\partial a_j} = \\sigma_i(\\delta_{ij} - \\sigma_j) $$\n\n"
        "$$ \\frac{\\partial \\sigma_i}{\\partial a_i} = \\sigma_i(1 + \\sigma_i) $$\n\n"
        "$$ \\sum_i a_i \\sigma_i = \\sum_k a_k \\sigma_k $$\n"
    )
    statuses, inferred, _, _ = run(tmp_path, definition + steps)
    assert "softmax: \\sigma of a" in inferred
    assert statuses == [HOLDS, FAILS, HOLDS]
    # not a softmax for any input: nothing about a follows
    wrong = definition.replace("\\sum_{j=1}^K e^{z_j}", "1 + \\sum_{j=1}^K e^{z_j}")
    statuses, inferred, _, _ = run(tmp_path, wrong + steps)
    assert not any(line.startswith("softmax") for line in inferred) and HOLDS not in statuses[:2]


def test_a_name_alone_at_the_end_of_an_equation_is_never_made_a_variable(tmp_path):
    # "h_i = \sum_k e^{a_k} = \Sigma" in words derive does not read: Σ is that sum, not any number
    body = (
        "Here $g_i = e^{a_i}, h_i = \\sum_k e^{a_k} = \\Sigma$ by the rule.\n\n"
        "$$ \\frac{\\Sigma - e^{a_i}}{\\Sigma} = 1 - \\frac{e^{a_i}}{\\Sigma} $$\n"
    )
    _, inferred, _, _ = run(tmp_path, body)
    assert "scalars: \\Sigma" not in inferred
