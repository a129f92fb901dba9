"""The page both editions share: its size, and margins that leave a text block of whole characters."""

from __future__ import annotations

import math
from dataclasses import dataclass

PT_PER_MM = 72 / 25.4
BODY_PT = 10.5  # 五号
MIN_MARGIN_MM = 20


@dataclass(frozen=True)
class PageGeometry:
    """Page size and margins chosen so the text block is a whole number of characters wide."""

    width_mm: float
    height_mm: float
    chars: int
    inner_mm: float
    outer_mm: float
    columns: int = 1

    @classmethod
    def for_page(cls, width_mm: float, height_mm: float, columns: int = 1) -> PageGeometry:
        usable_pt = (width_mm - 2 * MIN_MARGIN_MM) * PT_PER_MM
        chars = math.floor(usable_pt / BODY_PT)
        measure_mm = chars * BODY_PT / PT_PER_MM
        side = (width_mm - measure_mm) / 2
        return cls(width_mm, height_mm, chars, round(side + 1.5, 3), round(side - 1.5, 3), columns)

    @property
    def column_gap_chars(self) -> int:
        """A gap of 2 characters, or 3 when that leaves two columns of whole characters."""
        return 2 if self.chars % 2 == 0 else 3
