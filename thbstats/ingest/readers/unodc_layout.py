"""The UNODC workbook's layout file, and what the workbook says about itself (its release date,
the UN region of each country)."""

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from thbstats.errors import InputError

LAYOUT_FILE = Path(__file__).with_name("unodc_glotip.yml")


@cache
def layout() -> dict[str, Any]:
    """The workbook layout (unodc_glotip.yml)."""
    with open(LAYOUT_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def publication_of(cells: pd.DataFrame, path: Path) -> str:
    """'UNODC GLOTIP data YYYY-MM-DD' from the release date the workbook prints (cell A2)."""
    cell = layout()["release_date_cell"]
    row, col = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
    text = str(cells.iat[row, col]) if len(cells) > row and cells.shape[1] > col else ""
    try:
        day = pd.to_datetime(text.strip(), format="%d/%m/%Y")
    except ValueError:
        raise InputError(
            str(path), f"cell {cell}", "release date", "the release date as dd/mm/yyyy", text
        ) from None
    return f"UNODC GLOTIP data {day:%Y-%m-%d}"


def un_regions(df: pd.DataFrame) -> pd.DataFrame:
    """UN region and subregion of each country, as the release prints them."""
    reg = df[["Iso3_code", "Country", "Region", "Subregion"]].dropna(subset=["Region"])
    reg = reg.drop_duplicates("Iso3_code").rename(
        columns={
            "Iso3_code": "iso3",
            "Country": "name",
            "Region": "region",
            "Subregion": "subregion",
        }
    )
    return reg.sort_values("iso3").reset_index(drop=True)
