"""Render ``kzcoder.svg`` into the icons packagers need; the outputs are committed.

Run from the repository root after changing the SVG::

    .venv/bin/python resources/make_icons.py

Writes ``icons/hicolor/<N>x<N>/apps/<APPID>.png`` (freedesktop icon theme layout) and
``icons/hicolor/scalable/apps/<APPID>.svg`` beside this script, plus ``kzcoder.ico``
(Windows) and ``kzcoder.icns`` (macOS). Qt renders the SVG; Pillow writes ICO and ICNS.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

APPID = "io.github.kzcoder.KzCoder"
HERE = Path(__file__).resolve().parent
SVG = HERE / "kzcoder.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # 1024 is 512@2x; it is not kept as a PNG


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    """The SVG drawn on a transparent *size* x *size* square, as a Pillow RGBA image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return Image.frombytes("RGBA", (size, size), bytes(image.constBits()), "raw", "RGBA",
                           image.bytesPerLine())


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (Qt needs one)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: cannot read {SVG}")
    images = {size: render(renderer, size) for size in sorted({*PNG_SIZES, *ICNS_SIZES})}
    hicolor = HERE / "icons" / "hicolor"
    for size in PNG_SIZES:
        target = hicolor / f"{size}x{size}" / "apps" / f"{APPID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        images[size].save(target, optimize=True)
    scalable = hicolor / "scalable" / "apps" / f"{APPID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    images[256].save(HERE / "kzcoder.ico", sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES])
    images[1024].save(HERE / "kzcoder.icns", append_images=[images[s] for s in ICNS_SIZES])
    print(f"make_icons: wrote {len(PNG_SIZES)} PNGs, the SVG, kzcoder.ico and kzcoder.icns "
          f"under {HERE}")


if __name__ == "__main__":
    main()
