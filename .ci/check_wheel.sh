#!/usr/bin/env bash
# The sdist and wheel that `python -m build` makes: twine accepts them, and the wheel installed
# into a fresh virtual environment, with the pip that venv brings (as a user has it), passes
# `kzcoder-cli --self-test` run with an empty environment (resources, sample corpus and
# migrations come from inside the wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
.venv/bin/python -m build --outdir "$out/dist" . > "$out/build.log" 2>&1 || { tail -20 "$out/build.log"; exit 1; }
.venv/bin/twine check --strict "$out"/dist/*
python3 -m venv "$out/venv"
# the pip that `python3 -m venv` brings, not upgraded: what a user who installs the wheel has
"$out/venv/bin/python" -m pip --version
"$out/venv/bin/python" -m pip install --quiet "$out"/dist/*.whl
ls -l "$out"/dist | awk 'NR>1 {printf "%s %.1f MB\n", $9, $5/1048576}'
mkdir "$out/home"
cd "$out/home"
env -i HOME="$out/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$out/venv/bin/kzcoder-cli" --self-test
