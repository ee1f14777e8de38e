"""How a cell of the CBS kerncijfers becomes a number: what the CBS hides is unknown, never 0."""

from __future__ import annotations

import pytest

from omkijken.platform.areas.kerncijfers import KerncijfersError, number


@pytest.mark.parametrize(("cell", "value"), [
    ("12000", 12000), ("  12000 ", 12000), ("3.025", 3025), ("1.234,5", 1234.5), ("26,5", 26.5), ("26.5", 26.5),
    (".", None), ("x", None), ("", None), ("  .  ", None), ("-", 0),
])
def test_a_cbs_cell_is_a_number_or_unknown(cell, value):
    assert number(cell) == value


@pytest.mark.parametrize("cell", ["twaalf", "-5", "1e400", "nan", "=1+1"])
def test_what_is_no_count_is_refused(cell):
    with pytest.raises(KerncijfersError):
        number(cell)
