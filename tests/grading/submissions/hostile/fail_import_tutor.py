# expect: import tutor
from tutor.core import momentum_update  # borrow the reference
