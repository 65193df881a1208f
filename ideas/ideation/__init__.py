"""Ideas: posting, editing, withdrawing, listing the proposals of learning communities."""
