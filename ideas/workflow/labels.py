"""The idea states' labels and badges live in one place, the lower layer (ideas.ideation.labels);
the workflow re-exports them so its callers need not know where they are kept."""

from ideas.ideation.labels import STATUS_BADGES, STATUS_LABELS, status_label

__all__ = ["STATUS_BADGES", "STATUS_LABELS", "status_label"]
