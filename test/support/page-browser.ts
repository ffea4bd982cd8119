/** Staff pages as a browser uses them, through app.inject(): a cookie jar, sign-in at /sign-in, forms with the page's CSRF token. */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { TEST_PASSWORD, type TestApp } from './app.ts';

/** HTML text as the page escapes it (apostrophes, quotes, ampersands). */
export const escapedHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export class PageBrowser {
  jar: Record<string, string> = {};
  csrf = '';
  constructor(private readonly t: TestApp) {}
  #keep(res: LightMyRequestResponse) {
    for (const c of res.cookies) this.jar[c.name] = c.value;
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }
  #cookie() {
    return Object.entries(this.jar).map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string) {
    return this.#keep(await this.t.app.inject({ method: 'GET', url, headers: { cookie: this.#cookie() } }));
  }
  async post(url: string, form: Record<string, string>, csrf: string | null = this.csrf) {
    const payload = new URLSearchParams({ ...(csrf === null ? {} : { _csrf: csrf }), ...form }).toString();
    return this.#keep(await this.t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.#cookie() } }));
  }
  /** POSTs and follows the 303 back (asserting it was one). */
  async send(url: string, form: Record<string, string>) {
    const res = await this.post(url, form);
    assert.equal(res.statusCode, 303, `${url}: ${res.statusCode} ${res.body.slice(0, 2000)}`);
    return this.get(res.headers.location as string);
  }
  async signIn(email: string) {
    await this.get('/sign-in');
    const res = await this.post('/sign-in', { email, password: TEST_PASSWORD, next: '/staff' });
    assert.equal(res.statusCode, 303, res.body);
    return this;
  }
}
