"""The Gradio web app."""

import index as _index  # noqa: F401  (switches every vendor library offline first)
