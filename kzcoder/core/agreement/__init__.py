"""Agreement between coders as pure functions: the coefficients, unitizing alpha over spans, and
the per-code / per-document report built from them."""
