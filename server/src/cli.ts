// Entry point of the CLI (written in this change).
