"""MSE without the official files: tables, the sparse-data checks on constructed tables, the
fit against statsmodels, the selection and the bootstrap's reproducibility."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from thbstats.analysis import mse
from thbstats.analysis.mse.model import notation, parse
from thbstats.cli import main
from thbstats.errors import InputError


def table(rows: dict[str, int]) -> mse.CaptureTable:
    """A table from {"110": 5, ...} (histories as strings of 0/1)."""
    t = len(next(iter(rows)))
    df = pd.DataFrame([[int(c) for c in h] + [n] for h, n in rows.items()])
    df.columns = [*"ABCDEFGH"[:t], "count"]
    return mse.from_frame(df)


# Three lists, every pair overlapping (N*_12 = 5, N*_13 = 4, N*_23 = 3) but nobody on all three:
# the model [12,13,23] has as many parameters as cells, so its fit must reproduce the zero in
# cell 111, which needs log(mu_111) = -infinity: no maximum likelihood estimate.
NO_MLE = {"100": 20, "010": 15, "001": 10, "110": 5, "101": 4, "011": 3, "111": 0}


def test_interaction_model_without_mle_is_refused_with_the_cells() -> None:
    t = table(NO_MLE)
    c = mse.check(t, "[12,13,23]")
    assert not c.ok
    assert "no maximum likelihood estimate" in c.reason and "111" in c.reason
    with pytest.raises(mse.ModelError, match="111"):
        mse.fit(t, "[12,13,23]")
    assert mse.check(t, "[12,3]").ok and mse.check(t, "[12,13]").ok


def test_nonoverlapping_pair_is_a_structural_zero_not_a_failure() -> None:
    # nobody is on lists 1 and 3 together (N*_13 = 0): alpha_13 = -infinity, cells 101 and 111
    # are fitted 0 and the model's other parameters are estimated from the rest
    t = table({"100": 20, "010": 15, "001": 10, "110": 5, "011": 3})
    f = mse.fit(t, "[13,2]")
    assert f.minus_infinity == ((0, 2),)
    assert f.mu[[i for i, h in enumerate(t.histories.tolist()) if h[0] and h[2]]].sum() == 0
    assert f.total == pytest.approx(mse.fit(t, "[1,2,3]").total, rel=0.5)


def test_saturated_two_list_model_is_not_identifiable() -> None:
    # with two lists, [12] has 4 parameters for 3 observable cells
    c = mse.check(table({"10": 30, "01": 20, "11": 10}), "[12]")
    assert not c.ok and "not identifiable" in c.reason


def test_two_list_main_effects_is_the_lincoln_petersen_estimate() -> None:
    f = mse.fit(table({"10": 30, "01": 20, "11": 10}), "[1,2]")
    assert f.total == pytest.approx(40 * 30 / 10)  # (n1 * n2) / m
    assert f.ratio == pytest.approx(120 / 60)


def test_fit_agrees_with_statsmodels() -> None:
    t = table(NO_MLE | {"111": 2})
    ours = mse.fit(t, "[12,13]")
    glm = mse.fit_statsmodels(t, parse("[12,13]", 3))
    assert ours.dark == pytest.approx(np.exp(glm.params[0]), rel=1e-6)
    assert ours.loglik == pytest.approx(glm.llf, rel=1e-8)


def test_notation_round_trips() -> None:
    for text in ["[1,2,3,4]", "[12,3,4]", "[12,13,23,4]", "[123,14]"]:
        assert notation(parse(text, 4), 4) == text
    assert notation(parse("[123]", 3), 3) == "[123]"


def test_stepwise_stops_at_main_effects_with_a_zero_threshold() -> None:
    t = table(NO_MLE | {"111": 2})
    assert mse.estimate(t, "stepwise", pthresh=0).model == "[1,2,3]"


def test_bootstrap_is_reproducible_with_a_seed() -> None:
    t = table(NO_MLE | {"111": 2})
    a = mse.estimate(t, "stepwise", bootstrap=60, seed=7, workers=1)
    b = mse.estimate(t, "stepwise", bootstrap=60, seed=7, workers=1)
    c = mse.estimate(t, "stepwise", bootstrap=60, seed=8, workers=1)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert np.array_equal(a.interval.replicates, b.interval.replicates)
    assert not np.array_equal(a.interval.replicates, c.interval.replicates)
    assert a.ci_low < a.estimate < a.ci_high


def test_bootstrap_does_not_depend_on_the_number_of_workers() -> None:
    t = table(NO_MLE | {"111": 2})
    one = mse.estimate(t, "downhill", bootstrap=40, seed=3, workers=1)
    two = mse.estimate(t, "downhill", bootstrap=40, seed=3, workers=2)
    assert (one.ci_low, one.ci_high) == (two.ci_low, two.ci_high)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("A,B,count\n1,0,5\n0,2,3\n", "row 3, column 'B': expected 0 or 1, found '2'"),
        ("A,B,count\n1,0,5\n0,1,-3\n", "row 3, column 'count': expected a non-negative integer"),
        ("A,B,count\n1,0,2.5\n0,1,3\n", "row 2, column 'count': expected a non-negative integer"),
        ("A,count\n1,5\n", "line 1: expected at least two list columns"),
        ("A,B,count\n1,0,5\n0,0,3\n", "row 3, column 'count': expected no count for the all-zero"),
    ],
)
def test_bad_tables_name_file_row_and_column(tmp_path, text: str, where: str) -> None:
    path = tmp_path / "lists.csv"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        mse.read_table(path)
    assert str(err.value).startswith(str(path)) and where in str(err.value)


def test_cli_prints_json_and_reports_bad_tables(tmp_path, capsys) -> None:
    path = tmp_path / "lists.csv"
    path.write_text("A,B,C,n\n1,0,0,20\n0,1,0,15\n0,0,1,10\n1,1,0,5\n1,0,1,4\n0,1,1,3\n1,1,1,2\n")
    assert main(["mse", str(path), "--json", "--bootstrap", "30", "--seed", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"observed", "estimate", "ci_low", "ci_high", "model", "method"} <= set(out)
    # the default method, auto, is the search over all models for five lists or fewer
    assert out["observed"] == 59 and out["method"] == "exhaustive"
    path.write_text("A,B,C,n\n1,0,0,20\n0,1,0,x\n")
    assert main(["mse", str(path)]) == 2
    assert "row 3, column 'n'" in capsys.readouterr().err


def test_a_list_nobody_is_on_is_left_out() -> None:
    # a bootstrap resample can leave a small list empty: the estimate uses the other lists
    with_empty = table({h + "0": n for h, n in {"10": 20, "01": 15, "11": 5}.items()})
    assert mse.estimate(with_empty).estimate == pytest.approx(
        mse.fit(table({"10": 20, "01": 15, "11": 5}), "[1,2]").total
    )
    assert (
        mse.from_frame(pd.DataFrame([[1, 0, 0, 20]], columns=["A", "B", "C", "n"])).observed == 20
    )


def test_cli_methods_are_the_library_methods() -> None:
    from thbstats import mse_cli
    from thbstats.analysis.mse.selection import TAILS

    assert mse_cli.METHODS == mse.METHODS and mse_cli.TAILS == TAILS


# Four lists; lists 1 and 2 share nobody although about 5 people are expected on both under
# main effects: an unusually low overlap. Lists 3 and 4 overlap as expected.
APART = {
    "1000": 60, "0100": 40, "0010": 30, "0001": 30, "1010": 8, "1001": 9, "0110": 6, "0101": 5,
    "0011": 4, "1011": 1, "0111": 1,
}  # fmt: skip


def test_stepwise_two_tailed_rule_adds_a_pair_with_an_unusually_low_overlap() -> None:
    from thbstats.analysis.mse.selection import overlap_pvalue

    t = table(APART)
    main = mse.fit(t, "[1,2,3,4]")
    expected = main.mu[t.histories[:, :2].all(axis=1)].sum()
    assert expected > 4  # nobody observed where more than 4 are expected
    both, upper = overlap_pvalue(t, main, (0, 1)), overlap_pvalue(t, main, (0, 1), "upper")
    assert upper == 1.0 and both == pytest.approx(np.exp(-expected), rel=1e-9)  # P(X <= 0)
    two = mse.estimate(t, "stepwise")
    one = mse.estimate(t, "stepwise", tail="upper")
    assert (0, 1) in two.selection.fit.model and (0, 1) in two.selection.fit.minus_infinity
    assert (0, 1) not in one.selection.fit.model
    with pytest.raises(ValueError, match="tail 'lower'"):
        overlap_pvalue(t, main, (0, 1), "lower")


def test_models_are_generated_lazily_and_counted_first(monkeypatch) -> None:
    import inspect

    from thbstats.analysis.mse import allmodels, hierarchy
    from thbstats.analysis.mse.allmodels import TooManyModels, size_check
    from thbstats.analysis.mse.hierarchy import count_models, iter_models

    assert inspect.isgenerator(iter_models(8))
    assert sum(1 for _ in iter_models(6, 2)) == count_models(6, 2)[0] == 32768
    assert sum(1 for _ in iter_models(5, 3)) == count_models(5, 3)[0] == 6212

    # the refusal comes from the count alone: no model is generated before it
    def no_models(*_a, **_k):
        raise AssertionError("models enumerated before the size check")

    monkeypatch.setattr(hierarchy, "iter_models", no_models)
    monkeypatch.setattr(allmodels, "iter_models", no_models)
    with pytest.raises(TooManyModels, match="268,435,456 hierarchical models"):
        size_check(8, 2)


def test_exhaustive_on_eight_lists_is_refused_by_the_command_with_the_count(tmp_path, capsys):
    rows = [[int(c) for c in f"{k:08b}"] + [1] for k in range(1, 256, 7)]
    path = tmp_path / "eight.csv"
    pd.DataFrame(rows, columns=[*"ABCDEFGH", "n"]).to_csv(path, index=False)
    assert main(["mse", str(path), "--method", "exhaustive"]) == 2
    assert "268,435,456 hierarchical models (8 lists" in capsys.readouterr().err


def test_check_takes_a_list_nobody_is_on_at_minus_infinity_and_says_so() -> None:
    # list C is empty: its main effect is at minus infinity, [12,3] is checked as [12] on A, B
    t = table({"100": 30, "010": 20, "110": 10, "001": 0, "101": 0, "011": 0, "111": 0})
    c = mse.check(t, "[12,3]")
    assert not c.ok and "not identifiable" in c.reason  # [12] on two lists: 4 parameters, 3 cells
    ok = mse.check(t, "[1,2,3]")
    assert ok.ok and (2,) in ok.minus_infinity and ok.mains == (0, 1)
    assert "nobody is on list(s) C" in ok.note and "minus infinity" in ok.note
    assert mse.fit(t, "[1,2,3]").total == pytest.approx(120.0)  # Lincoln-Petersen on A and B
