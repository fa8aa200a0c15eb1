"""The district's clock for tests: its zone, and the moment time stands still at."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

# The district's zone (settings.TIME_ZONE): times in tests are written in it.
SH = ZoneInfo("Asia/Shanghai")
# A Monday morning in the district: the ``frozen`` fixture stops time here.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=SH)
