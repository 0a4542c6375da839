"""The pure legal core.

Everything here is a function of its inputs: reference data, a scenario and an
explicit ``as_of`` date. Nothing in this package imports a web framework or reads
the clock (enforced by ``tests/law/test_purity.py`` and ruff's banned-API rule).
"""

from __future__ import annotations
