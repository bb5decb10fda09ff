// Placeholder until the client lands in this change: the build needs an entry point.
export function activate(): void {}
export function deactivate(): void {}
