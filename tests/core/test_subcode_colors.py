"""A new sub-code's colour differs plainly from its parent's and siblings'. The difference is
measured here on its own terms: sRGB -> linear -> XYZ -> CIE L*a*b* with numpy (the matrix of
IEC 61966-2-1), then CIE76 ΔE*ab; and as a hue angle with the standard library's colorsys."""

from __future__ import annotations

import colorsys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kzcoder.core.colors import PALETTE, color_for_new_code

M = np.array([[0.4124564, 0.3575761, 0.1804375],
              [0.2126729, 0.7151522, 0.0721750],
              [0.0193339, 0.1191920, 0.9503041]])
WHITE = np.array([0.95047, 1.0, 1.08883])


def lab(color: str) -> np.ndarray:
    srgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    t = M @ linear / WHITE
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(t > eps, np.cbrt(t), (kappa * t + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str) -> float:
    return float(np.linalg.norm(lab(a) - lab(b)))


def hue_degrees(a: str, b: str) -> float:
    def hue(c: str) -> float:
        return colorsys.rgb_to_hls(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0] * 360
    d = abs(hue(a) - hue(b)) % 360
    return min(d, 360 - d)


def test_the_sample_codebooks_sub_codes_get_colours_apart():
    # the sample's four codes use the first four palette colours
    used = set(PALETTE[:4])
    for parent in PALETTE[:4]:
        child = color_for_new_code(used, {parent})
        assert child not in used
        assert delta_e(parent, child) >= 30, (parent, child)
        sibling = color_for_new_code(used | {child}, {parent, child})
        assert min(delta_e(parent, sibling), delta_e(child, sibling)) >= 30
        assert sibling not in used | {child}


def test_the_blue_parent_no_longer_gets_sky_blue():
    """Issue 21: the palette's next colour after four codes is sky blue, next to blue."""
    used = set(PALETTE[:4])
    assert delta_e("#0072B2", "#56B4E9") < 30  # what the plain palette order gave
    child = color_for_new_code(used, {"#0072B2"})
    assert delta_e("#0072B2", child) >= 30 and hue_degrees("#0072B2", child) >= 60


def test_a_top_level_code_keeps_the_palette_order():
    assert color_for_new_code(set()) == PALETTE[0]
    assert color_for_new_code({PALETTE[0], PALETTE[1]}) == PALETTE[2]


HEX = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06X}")


@given(used=st.sets(st.sampled_from(PALETTE)), near=st.sets(HEX, min_size=1, max_size=4))
def test_far_from_the_family_whenever_the_palette_allows(used, near):
    chosen = color_for_new_code(used, near)
    unused = [c for c in PALETTE if c not in used] or list(PALETTE)
    assert chosen in unused
    best = max(min(delta_e(c, n) for n in near) for c in unused)
    gap = min(delta_e(chosen, n) for n in near)
    if best >= 30.5:  # some unused colour is plainly apart: the one chosen is too
        assert gap >= 29.5
    else:  # none is: the farthest
        assert gap >= best - 0.5

