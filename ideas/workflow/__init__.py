"""The idea workflow: the table of allowed transitions, who may make them, and their history."""
