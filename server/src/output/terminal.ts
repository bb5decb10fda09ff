/**
 * Text bound for a terminal. Files are untrusted input: a control character or a bidirectional
 * override in a scanned line (or in a name the message quotes) could rewrite what the reader sees,
 * so each is shown as U+FFFD, one for one, keeping columns aligned.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD');
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOR: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };

const same = (text: string): string => text;
export const PLAIN: Style = { bold: same, dim: same, red: same, yellow: same, cyan: same };
