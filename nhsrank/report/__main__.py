"""``python -m nhsrank.report``: build the quarterly report (``make report``)."""
import sys

from ..interrupts import run_entry_point
from .build import main

sys.exit(run_entry_point(main, prog="nhsrank report"))
