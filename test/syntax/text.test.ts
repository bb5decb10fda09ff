import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineIndex } from '../../server/src/syntax/text';

describe('LineIndex on odd line breaks', () => {
  test('an offset between \\r and \\n is the end of its line, never past it', () => {
    // `yaml` places some errors on the \n of a CRLF; the range must still be a valid LSP position.
    const index = new LineIndex('ab\r\ncd\r\n');
    assert.deepEqual(index.positionAt(2), { line: 0, character: 2 });
    assert.deepEqual(index.positionAt(3), { line: 0, character: 2 });
    assert.deepEqual(index.positionAt(4), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(7), { line: 1, character: 2 });
    assert.deepEqual(index.positionAt(8), { line: 2, character: 0 });
    assert.deepEqual(new LineIndex('\r\n').positionAt(1), { line: 0, character: 0 });
  });

  test('CR-only and mixed breaks, offsets out of range, empty text', () => {
    const index = new LineIndex('a\rb\nc\r\nd');
    assert.equal(index.lineCount, 4);
    assert.deepEqual(index.positionAt(2), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(1_000), { line: 3, character: 1 });
    assert.equal(index.lineText(2), 'c');
    const empty = new LineIndex('');
    assert.deepEqual(empty.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(empty.rangeOf({ start: 0, end: 10 }), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  test('offsetAt and positionAt agree on every offset of a CRLF text', () => {
    const text = 'key: value\r\n\r\n  - item\r\nlast';
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const position = index.positionAt(offset);
      const back = index.offsetAt(position);
      // Offsets inside a line break come back as the line's end; all others round-trip.
      if (text[offset - 1] === '\r' && text[offset] === '\n') assert.equal(back, offset - 1);
      else assert.equal(back, offset, `offset ${offset}`);
    }
  });
});
