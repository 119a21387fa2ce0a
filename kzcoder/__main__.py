"""``python -m kzcoder``."""

import sys

from kzcoder.cli import main

sys.exit(main())
