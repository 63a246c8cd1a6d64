// Text bound for a terminal. User text — a commit message, a branch, table or file name, a value
// quoted in an error — may hold control characters: ESC sequences move the cursor, clear the
// screen or recolour what follows, a carriage return overwrites a line, a newline forges one. Every
// place the CLI prints human text passes it through `terminalText` (output.ts is the hub), so such
// characters show as escapes (`\x1b`, `\r`, `\n`) instead of acting. Ordinary Unicode — accents,
// CJK, emoji — is printed as it is. JSON output needs none of this: JSON escapes C0 controls.

/** C0 controls but tab and newline, DEL, and the C1 controls (U+0080–U+009F, e.g. U+009B CSI). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** The same and the newline: for text that must stay on one line. */
const CONTROLS_AND_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' };

const escaped = (ch: string): string =>
  NAMED[ch] ?? `\\x${(ch.codePointAt(0) as number).toString(16).padStart(2, '0')}`;

/**
 * `text` with its control characters escaped. Tabs are kept; newlines are kept only with
 * `multiline` (a rendering of several lines: YAML, SQL, a graph) — otherwise the text prints as
 * exactly one line.
 */
export function terminalText(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? CONTROLS : CONTROLS_AND_NEWLINE, escaped);
}
