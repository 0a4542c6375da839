"""The Django platform for issuing authorities and recipients. The only package that
imports Django; it calls the legal core and the forms, never re-implements them."""

from __future__ import annotations
