# expect: RuntimeError: boom at import
import numpy as np

raise RuntimeError("boom at import")
