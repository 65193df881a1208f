"""Comments on ideas: threaded one level deep, Markdown, edit and soft delete."""
