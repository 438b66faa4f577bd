"""The review panel in the Study editor: what an editor needs before submitting.

It shows, for the content being edited (the latest draft, not the live version):
the source text with the extracted spans, the consistency-check findings, the
certainty rating with its reasons, and each summary text with its origin
(automated draft, edited, or written by an editor), readability grade and
overclaim flags. Everything is computed by :mod:`acuevidence.research.review`.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.panels import Panel


class ReviewPanel(Panel):
    """Read-only panel; adds no form fields."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "research/admin/review_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            from acuevidence.research.review import review_context

            context = super().get_context_data(parent_context)
            if self.instance is not None and self.instance.pk:
                context.update(review_context(study=self.instance))
            return context
