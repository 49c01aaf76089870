"""Which cell to believe, on small hand-made tables: the odd one out among a total and its
splits, the copied split by form, the derived total in the default view."""

from __future__ import annotations

import math

import pandas as pd
from helpers import make_project

from thbstats import schema
from thbstats.analysis.metrics.select import defaults, has_flag
from thbstats.ingest import checks, derive

PUB = "UNODC GLOTIP data 2025-04-14"
OLD = "UNODC GLOTIP data 2023-05-30"


def cells(rows: list[tuple], geo: str = "AAA", year: int = 2022, pub: str = PUB) -> pd.DataFrame:
    """Rows (stage, form, sex, age, value or "<5") of one country, year and release."""
    out = []
    for stage, form, sex, age, v in rows:
        lt5 = v == "<5"
        out.append(
            {
                "source": "UNODC",
                "publication": pub,
                "geo": geo,
                "geo_name": geo,
                "geo_type": "country",
                "year_start": year,
                "year_end": year,
                "stage": stage,
                "form": form,
                "sex": sex,
                "age": age,
                "value": None if lt5 else float(v),
                "unit": "persons",
                "flag": "suppressed_lt5" if lt5 else "",
                "citation": "unodc-glotip-2025-04-14",
            }
        )
    return schema.coerce(pd.DataFrame(out))


def derived_table(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return derive.derive_all(pd.concat(frames, ignore_index=True))[0]


def row(t: pd.DataFrame, **kw) -> pd.DataFrame:
    m = pd.Series(True, index=t.index)
    for k, v in kw.items():
        m &= t[k] == v
    return t[m]


GERMANY = [  # 2025 release, Germany 2022, identified victims (the printed cells)
    ("identified", "all", "all", "all", "<5"),
    ("identified", "all", "female", "all", 746),
    ("identified", "all", "male", "all", 541),
    ("identified", "all", "unknown", "unknown", 7),
    ("identified", "all", "all", "adult", 1096),
    ("identified", "all", "all", "child", 193),
    ("identified", "sexual", "all", "all", 476),
    ("identified", "labour", "all", "all", 1019),
    ("identified", "other", "all", "all", 47),
]


def test_a_total_outvoted_by_two_agreeing_splits_gives_way_to_their_sum():
    t = derived_table([cells(GERMANY)])
    total = row(t, stage="identified", form="all", sex="all", age="all")
    assert len(total) == 2
    printed = total[~has_flag(total["flag"], "derived")].iloc[0]
    assert printed["flag"].split(";") == ["suppressed_lt5", "inconsistent", "superseded_by_parts"]
    assert (printed["value_min"], printed["value_max"]) == (1, 4)
    made = total[has_flag(total["flag"], "derived")].iloc[0]
    # by sex 746 + 541 + 7 (unknown sex, printed only as of unknown age) = 1,294; by age 1,296
    assert (made["value_min"], made["value_max"]) == (1294, 1296) and math.isnan(made["value"])
    assert made["flag"] == "derived" and made["citation"] == printed["citation"]
    view = defaults(t)
    head = row(view, stage="identified", form="all", sex="all", age="all")
    assert head["flag"].tolist() == ["derived"] and head["value_min"].tolist() == [1294]
    # the splits themselves are not blamed
    assert not has_flag(row(t, sex="female")["flag"], "inconsistent").any()


def test_a_split_by_form_against_a_total_the_person_splits_confirm_is_the_odd_one():
    t = derived_table(
        [
            cells(
                [
                    ("convicted", "all", "all", "all", 16),
                    ("convicted", "all", "female", "all", 10),
                    ("convicted", "all", "male", "all", 6),
                    ("convicted", "all", "all", "adult", 16),
                    ("convicted", "sexual", "all", "all", 16),  # the total printed under every form
                    ("convicted", "labour", "all", "all", 16),
                ]
            )
        ]
    )
    total = row(t, form="all", sex="all", age="all").iloc[0]
    assert total["flag"] == "" and len(row(t, form="all", sex="all", age="all")) == 1
    forms = row(t, form="sexual")["flag"].tolist() + row(t, form="labour")["flag"].tolist()
    assert forms == ["inconsistent", "inconsistent"]


def test_a_split_by_form_alone_is_blamed_and_a_person_split_alone_ties_with_the_total():
    form_only = derived_table(
        [
            cells(
                [
                    ("convicted", "all", "all", "all", 16),
                    ("convicted", "sexual", "all", "all", 16),
                    ("convicted", "labour", "all", "all", 16),
                ]
            )
        ]
    )
    assert row(form_only, form="all")["flag"].tolist() == [""]
    assert has_flag(row(form_only, form="sexual")["flag"], "inconsistent").all()
    sex_only = derived_table(
        [
            cells(
                [
                    ("identified", "all", "all", "all", 5),
                    ("identified", "all", "female", "all", 40),
                    ("identified", "all", "male", "all", 20),
                ]
            )
        ]
    )
    # one against one: both flagged, nothing derived (no two splits agree against the total)
    assert row(sex_only, sex="all")["flag"].tolist() == ["inconsistent"]
    assert has_flag(row(sex_only, sex="female")["flag"], "inconsistent").all()


def test_small_excesses_are_left_alone():
    t = derived_table(
        [
            cells(
                [
                    ("identified", "all", "all", "all", 20),
                    ("identified", "all", "female", "all", 15),
                    ("identified", "all", "male", "all", 8),
                    ("identified", "all", "all", "adult", "<5"),
                ]
            )
        ]
    )
    assert not has_flag(t["flag"], "inconsistent").any() and len(t) == 4


NORWAY = [  # 2025 release, Norway 2019 (the printed cells)
    ("identified", "all", "all", "all", 241),
    ("identified", "all", "female", "all", 174),
    ("identified", "all", "male", "all", 67),
    ("identified", "sexual", "all", "all", 142),
    ("identified", "labour", "all", "all", 80),
    ("identified", "other", "all", "all", 16),
    ("convicted", "all", "all", "all", 5),
    ("convicted", "all", "all", "adult", 5),
    ("convicted", "all", "female", "all", "<5"),
    ("convicted", "all", "male", "all", "<5"),
    ("convicted", "sexual", "all", "all", 142),
    ("convicted", "labour", "all", "all", 80),
    ("convicted", "other", "all", "all", 16),
]


def test_a_split_by_form_copied_from_the_victims_is_flagged_not_the_total():
    t = derived_table([cells(NORWAY, year=2019)])
    conv = row(t, stage="convicted")
    assert row(conv, form="all", sex="all", age="all")["flag"].tolist() == [""]
    copied = conv[conv["form"] != "all"]
    assert copied["flag"].tolist() == ["inconsistent"] * 3
    assert not has_flag(row(t, stage="identified")["flag"], "inconsistent").any()
    _, lines, _ = derive.derive_all(cells(NORWAY, year=2019))
    assert lines["reason"].str.startswith("inconsistent: form_split_copies_victims").sum() == 3


def test_equal_small_forms_are_not_called_a_copy():
    t = derived_table(
        [
            cells(
                [
                    ("identified", "sexual", "all", "all", 5),
                    ("identified", "labour", "all", "all", "<5"),
                    ("convicted", "all", "all", "all", 6),
                    ("convicted", "sexual", "all", "all", 5),
                    ("convicted", "labour", "all", "all", "<5"),
                ]
            )
        ]
    )
    assert not has_flag(t["flag"], "inconsistent").any()


def test_a_later_release_printing_a_sound_total_wins_over_an_earlier_derived_one():
    old = cells(GERMANY, pub=OLD)
    new = cells([("identified", "all", "all", "all", 1290)])
    t = derived_table([old, new])
    head = row(defaults(t), stage="identified", form="all", sex="all", age="all")
    assert head["publication"].tolist() == [PUB] and head["value"].tolist() == [1290]
    # the printed chain is unchanged: the old printed "<5" is revised by the new 1,290
    printed_old = row(t, publication=OLD, form="all", sex="all", age="all")
    flags = printed_old["flag"].map(lambda f: f.split(";")).tolist()
    assert ["suppressed_lt5", "inconsistent", "superseded_by_parts", "revised"] in flags
    # the old derived row is a variant of its own (not printed, so never "revised"): kept, not
    # the default
    assert ["derived"] in flags


def test_derived_rows_survive_a_rebuild_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("THBSTATS_ROOT", str(make_project(tmp_path / "p")))
    table = pd.concat(
        [cells(GERMANY, geo="DEU"), cells(NORWAY, geo="NOR", year=2019)], ignore_index=True
    )
    table = table.assign(_file="f.xlsx", _row=range(len(table)))
    cold = derive.derive(table)
    edited = table.copy()
    edited.loc[edited["geo"] == "NOR", "value"] = edited["value"] + 1
    derive.derive(edited)  # caches both parts; DEU (with its derived row) is clean
    warm = derive.derive(table)
    for a, b in zip(cold, warm, strict=True):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    assert has_flag(warm[0]["flag"], "derived").sum() == 1
    assert checks.rule_ids()[0] == "form_split_copies_victims"


def test_the_brief_says_how_a_derived_total_was_made():
    from thbstats.publish.briefs.content import _care

    t = derived_table([cells(GERMANY, geo="DEU")])
    rows = defaults(row(t, stage="identified", form="all", sex="all", age="all"))
    said = _care(t, rows, country=True)
    assert said == [
        f"Identified victims 2022: {PUB} prints '<5' in total, against its splits by sex (1,294) "
        "and by age (1,296). The figures here use 1,294-1,296 (the range of the sums, since "
        "neither split is known to be the complete one), flagged 'derived'; the printed total is "
        "kept in the table, flagged inconsistent."
    ]


def test_a_cell_of_unknown_sex_and_age_shared_by_both_splits_is_no_evidence():
    # the shape of Cote d'Ivoire 2019 (2025 release): 161 in total = 104 + 57 by sex = 39 + 122
    # by age; 1,117 of unknown sex and age, which both person splits would count
    t = derived_table(
        [
            cells(
                [
                    ("identified", "all", "all", "all", 161),
                    ("identified", "all", "female", "all", 104),
                    ("identified", "all", "male", "all", 57),
                    ("identified", "all", "all", "adult", 39),
                    ("identified", "all", "all", "child", 122),
                    ("identified", "all", "unknown", "unknown", 1117),
                ]
            )
        ]
    )
    assert not has_flag(t["flag"], "inconsistent").any() and len(t) == 6


def test_a_split_telling_a_third_story_keeps_the_total_from_being_replaced():
    # the shape of Moldova 2021 (2025 release): 31 in total, 36 + 15 + "<5" by sex, 335 + 22 by
    # age, 319 by form: no two figures tell one story with the total, nothing is derived
    t = derived_table(
        [
            cells(
                [
                    ("identified", "all", "all", "all", 31),
                    ("identified", "all", "female", "all", 36),
                    ("identified", "all", "male", "all", 15),
                    ("identified", "all", "other", "all", "<5"),
                    ("identified", "all", "all", "adult", 335),
                    ("identified", "all", "all", "child", 22),
                    ("identified", "sexual", "all", "all", 100),
                    ("identified", "labour", "all", "all", 219),
                ]
            )
        ]
    )
    assert not has_flag(t["flag"], "derived").any()
    assert row(t, form="all", sex="all", age="all")["flag"].tolist() == ["inconsistent"]
    assert has_flag(row(t, age="adult")["flag"], "inconsistent").all()
