// Entry point of the language server (written in this change).
