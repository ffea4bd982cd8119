import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RETURN_PATH_LENGTH, sameSitePath } from './safe-redirect.ts';

const FALLBACK = '/staff';

/** [input, what a browser must be sent to]: good paths come back parsed and percent-encoded. */
const followed: Array<[string, string]> = [
  ['/staff', '/staff'],
  ['/', '/'],
  ['/staff/cases?page=2&q=x', '/staff/cases?page=2&q=x'],
  ['/staff#section', '/staff'],
  ['/staff/../processing-times', '/processing-times'],
  ['/a/./b', '/a/b'],
  ['/st aff', '/st%20aff'],
  ['/café?q=é', '/caf%C3%A9?q=%C3%A9'],
  ['/staff?next=//evil.example', '/staff?next=//evil.example'],
  ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ['/%5Cevil.example', '/%5Cevil.example'],
  ['/%09/evil.example', '/%09/evil.example'],
  ['/a"><script>', '/a%22%3E%3Cscript%3E'],
];

/** Inputs that would leave the site, are not paths, or are too long: the fallback. */
const refused: Array<[string, unknown]> = [
  ['tab after the slash', '/\t/evil.example'],
  ['newline after the slash', '/\n/evil.example'],
  ['carriage return after the slash', '/\r/evil.example'],
  ['CRLF header injection', '/\r\nSet-Cookie: x=1'],
  ['tab between the slashes of //', '/\t/\t/evil.example'],
  ['protocol-relative', '//evil.example'],
  ['three slashes', '///evil.example'],
  ['backslash', '/\\evil.example'],
  ['slash backslash slash', '/\\/evil.example'],
  ['two backslashes after the slash', '/\\\\evil.example'],
  ['dot segment then //', '/.//evil.example'],
  ['encoded dot segment then //', '/%2e//evil.example'],
  ['dot-dot segments then //', '/staff/../..//evil.example'],
  ['javascript: scheme', 'javascript:alert(1)'],
  ['javascript: after the parser strips a tab', 'java\tscript:alert(1)'],
  ['data: scheme', 'data:text/html,<script>alert(1)</script>'],
  ['absolute http URL', 'http://evil.example/'],
  ['absolute https URL', 'https://evil.example/staff'],
  ['absolute URL of our own placeholder origin', 'http://switchboard.invalid/staff'],
  ['scheme-relative with credentials', '//user:pass@evil.example'],
  ['leading space', ' /staff'],
  ['leading tab', '\t//evil.example'],
  ['relative path', 'staff'],
  ['query only', '?x=1'],
  ['empty', ''],
  ['very long', `/${'a'.repeat(MAX_RETURN_PATH_LENGTH)}`],
  ['a number', 42],
  ['an array (a repeated form field)', ['/staff', '//evil.example']],
  ['undefined', undefined],
  ['null', null],
];

for (const [input, expected] of followed) {
  test(`followed: ${JSON.stringify(input)} → ${expected}`, () => {
    assert.equal(sameSitePath(input, FALLBACK), expected);
  });
}

for (const [name, input] of refused) {
  test(`refused: ${name}`, () => {
    assert.equal(sameSitePath(input, FALLBACK), FALLBACK);
  });
}

test('the longest accepted path is exactly the limit', () => {
  const longest = `/${'a'.repeat(MAX_RETURN_PATH_LENGTH - 1)}`;
  assert.equal(sameSitePath(longest, FALLBACK), longest);
});

test('whatever is followed is a same-origin path a browser reads the same way, and safe in a header', () => {
  const inputs = [...followed.map(([i]) => i), ...refused.map(([, i]) => i)];
  for (const input of inputs) {
    const out = sameSitePath(input, FALLBACK);
    assert.match(out, /^\/(?![/\\])[\x21-\x7e]*$/, JSON.stringify(input));
    assert.equal(new URL(out, 'https://help.example.gov').origin, 'https://help.example.gov', JSON.stringify(input));
  }
});
