"""Who is who: the caller from verified JWT claims, and the organisation directory with its import."""
