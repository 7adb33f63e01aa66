"""Alliance economics beyond royalties (docs/economics.md): buying groups, joint bids
and the exit settlement."""

from __future__ import annotations

from kithbook.services.economics import EconomicsBase


class EconomicsDealService(EconomicsBase):
    pass
