# Two commands for a fresh machine:  make run   and   make test
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: run test setup sysdeps bench realwindow dist wheel clean

run: setup
	$(PY) -m kzcoder

# offscreen for the tests' own windows; tests/realwindow runs the app on its own Xvfb (xcb)
test: setup
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

setup: sysdeps $(STAMP)

sysdeps:
	@bash .ci/sysdeps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

# The app in a real X window (Xvfb + openbox, driven with xdotool), restarted three times;
# screenshots of every start in $(SHOTS). Part of `make test` too (tests/realwindow).
SHOTS ?= build/realwindow-shots
realwindow: setup
	$(PY) tests/realwindow/run_real_window.py $(SHOTS) --verbose

# A one-folder bundle in dist/kzcoder/ (kzcoder = the window, kzcoder-cli = the command line),
# then its self-test from a copy with an empty environment, a broken copy that must fail, the
# sizes (and dist/kzcoder-linux-*.tar.gz) and the start-up time: .ci/check_bundle.py.
# KZCODER_ONEFILE=1 builds one file instead (no checks: they are for the folder).
dist: setup
	$(PY) -m pip install --quiet -e '.[test,build]'
	rm -rf build/build dist
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --workpath build/build build.spec
	if [ "$${KZCODER_ONEFILE:-}" != 1 ]; then $(PY) .ci/check_bundle.py dist/kzcoder; fi

# An sdist and a wheel (python -m build), checked by twine, and the wheel installed into a
# fresh virtual environment, where `kzcoder-cli --self-test` must pass.
wheel: setup
	$(PY) -m pip install --quiet -e '.[test,build]'
	bash .ci/check_wheel.sh

clean:
	rm -rf $(VENV) build dist .pytest_cache
