#!/usr/bin/env bash
# Installs the Debian/Ubuntu libraries that PySide6 wheels need (offscreen tests, a real window
# under Xvfb, PyInstaller), and what the real-window test drives the app with (openbox, xdotool,
# xprop from x11-utils, ImageMagick's import for screenshots: tests/realwindow/).
# Does nothing where they are present, on other systems, or without root.
set -euo pipefail
PKGS="libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3 \
xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 binutils fonts-dejavu-core \
openbox xdotool x11-utils imagemagick desktop-file-utils appstream shared-mime-info \
icu-devtools gcc \
postgresql"
command -v dpkg-query >/dev/null 2>&1 || { echo "sysdeps: not a Debian system; install the Qt libraries listed in README.md yourself"; exit 0; }
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "sysdeps: missing system packages:$missing"
  echo "sysdeps: run as root (or: sudo apt-get install$missing)"; exit 1
fi
echo "sysdeps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
