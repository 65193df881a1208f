"""Personal data (SECURITY-CHECKLIST section 2.H): "my data" export, account erasure,
retention job, privacy and accessibility statement pages."""
