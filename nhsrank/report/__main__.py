"""``python -m nhsrank.report``: build the quarterly report (``make report``)."""
import sys

from .build import main

sys.exit(main())
