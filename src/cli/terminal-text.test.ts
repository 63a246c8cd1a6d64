import { describe, expect, it } from 'vitest';
import { terminalText } from './terminal-text.js';

describe('terminalText', () => {
  it('escapes ESC sequences and every other C0 control but the tab', () => {
    expect(terminalText('a\x1b[2J\x1b[Hb')).toBe('a\\x1b[2J\\x1b[Hb');
    expect(terminalText('ok\rforged')).toBe('ok\\rforged');
    expect(terminalText('bell\x07 nul\x00 bs\x08 vt\x0b ff\x0c')).toBe(
      'bell\\x07 nul\\x00 bs\\x08 vt\\x0b ff\\x0c',
    );
    expect(terminalText('a\tb')).toBe('a\tb');
    for (let c = 0; c < 0x20; c++) {
      const out = terminalText(String.fromCharCode(c));
      if (c === 9) expect(out).toBe('\t');
      else expect(out, `U+${c.toString(16)}`).toMatch(/^\\(x[0-9a-f]{2}|n|r)$/);
    }
  });

  it('escapes DEL and the C1 controls (U+009B is a one-character CSI)', () => {
    expect(terminalText('\x7f')).toBe('\\x7f');
    expect(terminalText('x\u009b2Jy\u0085z')).toBe('x\\x9b2Jy\\x85z');
    for (let c = 0x80; c < 0xa0; c++)
      expect(terminalText(String.fromCharCode(c))).toBe(`\\x${c.toString(16)}`);
  });

  it('keeps text on one line unless it is a multi-line rendering', () => {
    expect(terminalText('msg\nerror: forged')).toBe('msg\\nerror: forged');
    expect(terminalText('a: 1\nb: 2\x1b[0m', { multiline: true })).toBe('a: 1\nb: 2\\x1b[0m');
  });

  it('passes ordinary Unicode through unchanged', () => {
    const text = 'café naïve Ærø — 日本語のテキスト 한국어 ½ € 🚀 👩‍👩‍👧 🇫🇷 \u00a0\u00ff';
    expect(terminalText(text)).toBe(text);
  });
});
