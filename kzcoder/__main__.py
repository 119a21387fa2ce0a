"""``python -m kzcoder``."""

import sys

from kzcoder.cli.main import main

sys.exit(main())
