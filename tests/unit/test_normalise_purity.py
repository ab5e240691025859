"""The normaliser is a pure core: no broker, stream framework, environment or logging setup."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import logging, os, sys
before_env = dict(os.environ)
before_handlers = list(logging.getLogger().handlers)
from wirestream.core import normalise, normalise_html
normalise("Title\\nThe minister said on Monday that the talks would go on for another week.")
normalise_html("<html><body><h1>Title</h1><p>" + "The minister said the talks would go on. " * 20 + "</p></body></html>")
loaded = sorted(m for m in ("faust", "aiokafka", "kafka", "mode", "pydantic_settings") if m in sys.modules)
print(loaded, dict(os.environ) == before_env, list(logging.getLogger().handlers) == before_handlers)
"""


def test_core_loads_no_framework_and_touches_no_global_state() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] True True"
