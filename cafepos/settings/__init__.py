"""Settings entry point: base settings plus the module named by APP_ENV."""

from .base import *  # noqa: F403
from .base import APP_ENV

if APP_ENV == "production":
    from .production import *  # noqa: F403
elif APP_ENV == "test":
    from .test import *  # noqa: F403
