// Placeholder: replaced by the extension wiring (issue 3).
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // nothing yet
}

export function deactivate(): void {
  // nothing yet
}
