/**
 * A local stand-in for Twilio's Programmable Messaging REST API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json),
 * on an ephemeral port, for the `twilio` package's own client to send to (TWILIO_API_URL): it checks the Basic
 * credentials, parses the form body like Twilio, records each request, and answers as Twilio does (201 with a
 * message resource, or an error resource with Twilio's code).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface TwilioRequest { accountSid: string; params: Record<string, string>; authorized: boolean }

export interface TestTwilioApi {
  /** http://127.0.0.1:PORT */
  url: string;
  accountSid: string;
  authToken: string;
  /** Every message request, in order (refused ones too). */
  requests: TwilioRequest[];
  /** Decides each message request: null accepts; otherwise the HTTP status and Twilio error code to answer. */
  refuse: (params: Record<string, string>, attempt: number) => { status: number; code: number } | null;
  close(): Promise<void>;
}

export async function startTestTwilioApi(): Promise<TestTwilioApi> {
  const state: TestTwilioApi = {
    url: '', accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex'), requests: [], refuse: () => null, close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) return json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      const expected = `Basic ${Buffer.from(`${state.accountSid}:${state.authToken}`).toString('base64')}`;
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const authorized = req.headers.authorization === expected && m[1] === state.accountSid;
      state.requests.push({ accountSid: m[1]!, params, authorized });
      if (!authorized) return json(401, { code: 20003, message: 'Authenticate', status: 401 });
      const attempt = state.requests.filter((r) => r.params.To === params.To && r.params.Body === params.Body).length;
      const refusal = state.refuse(params, attempt);
      if (refusal) return json(refusal.status, { code: refusal.code, message: `Refused (${refusal.code})`, more_info: `https://www.twilio.com/docs/errors/${refusal.code}`, status: refusal.status });
      const sid = `SM${randomBytes(16).toString('hex')}`;
      return json(201, {
        sid, account_sid: state.accountSid, to: params.To, from: params.From ?? null, messaging_service_sid: params.MessagingServiceSid ?? null,
        body: params.Body, status: 'queued', num_segments: '1', direction: 'outbound-api', api_version: '2010-04-01',
        date_created: new Date().toUTCString(), uri: `/2010-04-01/Accounts/${state.accountSid}/Messages/${sid}.json`,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return state;
}
