import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { holdsKeyId, maskLine, maskText, maskValue, redact, redactText } from '../../server/src/secrets/redact';

// The one redactor (server/src/secrets/redact.ts), unit by unit. Values are fake.

const ID = 'AKIAREDACTXQ7Z4K2M9W';
const SECRET = 'Fk3redact/wJalrXUtnFEMI/K7MDENG/bPxRfiCYz';
const DIGITLESS = 'redact/wJalrXUtnFEMI/KzMDENG/bPxRfiCYzqL';
const SHA = '8e5e7e5ab8b370d6c329ec480221332ada57f0ab';

describe('redactText: prose', () => {
  test('a key id and the secret beside it become previews, wherever they stand', () => {
    assert.equal(redactText(`Secret "ci-token-${ID}-${SECRET}" of type x`), 'Secret "ci-token-AKIA…9W-Fk3r…Yz" of type x');
    assert.equal(redactText(`Not a YAML token: ${ID} ${SECRET}`), 'Not a YAML token: AKIA…9W Fk3r…Yz');
  });

  test('an id glued to letters on either side is found; ids glued to each other are masked as one', () => {
    assert.equal(redactText(`access${ID}x`), 'accessAKIA…9Wx');
    const second = 'AKIASZAT8YE28O0A3MSM';
    const out = redactText(`deploy-${ID.slice(0, 17)}${second}", "`);
    assert.ok(!out.includes(second.slice(4, 18)), out);
  });

  test('a secret-shaped run is masked beside an id in the string or in its file, not elsewhere', () => {
    assert.equal(redactText(`"${SECRET}"`), `"${SECRET}"`, 'no id anywhere: a name that happens to be long');
    assert.equal(redactText(`"${SECRET}"`, { keyIdInFile: true }), '"Fk3r…Yz"');
    assert.equal(redactText(`${ID} ${DIGITLESS}`), 'AKIA…9W reda…qL', 'no digit, still a secret beside an id');
    assert.equal(redactText(`${ID} actions/checkout@${SHA}`), `AKIA…9W actions/checkout@${SHA}`, 'a commit SHA stays readable');
  });

  test('what the detectors recognise is masked without context', () => {
    assert.equal(redactText('token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB'), 'token ghp_…AB');
  });

  test('holdsKeyId sees glued ids and nothing shorter', () => {
    assert.equal(holdsKeyId(`x${ID}y`), true);
    assert.equal(holdsKeyId('AKIA123'), false);
    assert.equal(holdsKeyId('no key here'), false);
  });
});

describe('maskText and maskLine: source lines, one character for one', () => {
  test('keeps columns, the first 4 and last 2 characters of each value, and line breaks', () => {
    assert.equal(maskValue(ID), `AKIA${'*'.repeat(14)}9W`);
    assert.equal(maskValue('short'), '*****');
    assert.equal(maskValue('abcd\nefgh\nijklmn'), 'abcd\n****\n****mn');
    assert.equal(redact(ID), 'AKIA…9W');
  });

  test('overlapping spans never show what one of them hides', () => {
    const line = `xx${ID}yy`;
    // The second span starts inside the first: its kept first 4 characters are the first's middle.
    const masked = maskText(line, [{ start: 2, end: 22 }, { start: 8, end: 24 }]);
    assert.equal(masked.slice(0, 6), 'xxAKIA');
    assert.ok(!/[A-Z0-9]{5}/.test(masked.slice(6, 22)), masked);
  });

  test('a line is masked by shape: glued ids, digitless secrets beside an id, random runs', () => {
    assert.equal(maskLine(`  key = "access${ID}"`, []), `  key = "acce${'*'.repeat(20)}9W"`);
    const pair = maskLine(`["${ID}", "${DIGITLESS}"]`, []);
    assert.ok(!pair.includes(DIGITLESS) && !pair.includes(ID), pair);
    assert.equal(maskLine(`uses: actions/checkout@${SHA}`, []), `uses: actions/checkout@${SHA}`);
  });
});
