"""Retrieval, cited answers, citation validation and the command line."""

import index as _index  # noqa: F401  (switches every vendor library offline first)
