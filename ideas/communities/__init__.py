"""Learning communities (communautés apprenantes): open or private, run by facilitators."""
