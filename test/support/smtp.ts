/** A real SMTP server for tests (smtp-server on an ephemeral port), and the messages it accepted (parsed by mailparser). */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface TestSmtp {
  /** smtp://127.0.0.1:PORT?ignoreTLS=true (smtp-server's bundled certificate has expired). */
  url: string;
  /** Every message accepted, in order. */
  received: ParsedMail[];
  /** Every RCPT TO the server was offered, accepted or not. */
  recipientsOffered: string[];
  /** Decides each RCPT TO: null accepts; a code (451, 550) refuses with it. */
  refuse: (address: string, attempt: number) => number | null;
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const state: TestSmtp = { url: '', received: [], recipientsOffered: [], refuse: () => null, close: async () => {} };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      state.recipientsOffered.push(address.address);
      const attempt = state.recipientsOffered.filter((a) => a === address.address).length;
      const code = state.refuse(address.address, attempt);
      if (code === null) return callback();
      return callback(Object.assign(new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: code }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => { state.received.push(mail); callback(); }, (err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://127.0.0.1:${port}?ignoreTLS=true`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
