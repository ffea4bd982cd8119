import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressBar } from './progress.ts';

function capture(tty: boolean) {
  const stream = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 120 } : {});
  let text = '';
  stream.on('data', (d) => { text += String(d); });
  return { stream, text: () => text };
}

test('no bar when standard error is not a terminal', () => {
  const out = capture(false);
  const bar = progressBar(out.stream, { label: 'Seeding cases', total: 100, unit: 'records' });
  bar.update(50);
  bar.stop();
  assert.equal(out.text(), '');
});

test('a bar with the amount done on a terminal, cleared at the end', () => {
  const out = capture(true);
  const bar = progressBar(out.stream, { label: 'Importing cases', total: 4 * 1024 * 1024, unit: 'bytes' });
  bar.update(2 * 1024 * 1024);
  bar.stop();
  bar.stop(); // a second stop is harmless
  assert.match(out.text(), /Importing cases \[/);
  assert.match(out.text(), /of 4\.0 MiB/);
});
