"""Reference data an admin maintains: territories and themes."""
