"""Security checklist tests (SECURITY-CHECKLIST.md section 2), marked with the items they cover."""
