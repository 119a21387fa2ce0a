"""A codebook file that gives a sub-code no colour: the import gives it one plainly apart from
its parent's and siblings' (ΔE by tests/core/test_subcode_colors.py's own L*a*b*)."""

from __future__ import annotations

from kzcoder.services.codebook.editing import list_codes
from kzcoder.services.codebook.exchange import import_codebook
from tests.core.test_subcode_colors import delta_e


def test_an_imported_sub_code_without_a_colour_gets_one_apart(sample_project, tmp_path):
    source = tmp_path / "uncoloured.csv"
    source.write_text("name,path\nForce,Force\nLive fire,Force / Live fire\n"
                      "Tear gas,Force / Tear gas\n", encoding="utf-8")
    import_codebook(sample_project, source)
    codes = {c.name: c for c in list_codes(sample_project)}
    force, fire, gas = codes["Force"].color, codes["Live fire"].color, codes["Tear gas"].color
    assert delta_e(force, fire) >= 30
    assert min(delta_e(force, gas), delta_e(fire, gas)) >= 30
