from __future__ import annotations

import sys

from cyberspex.cli.main import main

sys.exit(main())
