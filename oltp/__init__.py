"""SQLAlchemy 2.0 models of the AudiFi OLTP schema: one module per domain of the spec.

Importing this package registers every table and enum on ``Base.metadata``.
"""

from oltp import (  # noqa: F401  (imported for their side effect: registering tables)
    artist_coin,
    artists,
    identity,
    masters,
    nfts,
    observability,
    revenue,
    streaming,
    subscriptions,
    vstudio,
)
from oltp.base import OLTP_SCHEMA, Base

metadata = Base.metadata

__all__ = ["OLTP_SCHEMA", "Base", "metadata"]
