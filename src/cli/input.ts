/** Reading a secret from standard input: piped text as is, or a prompt without echo on a terminal. */
import readline from 'node:readline';
import type { Io } from './main.ts';

export async function readSecretInput(io: Io, prompt: string): Promise<string> {
  if (io.stdin.isTTY) {
    const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: true });
    io.stderr.write(prompt);
    // Mute the echo: readline writes typed characters through _writeToOutput.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    const answer = await new Promise<string>((resolve) => rl.question('', resolve));
    rl.close();
    io.stderr.write('\n');
    return answer;
  }
  let text = '';
  for await (const chunk of io.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}
