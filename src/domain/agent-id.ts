/** The public agent ID: what a caller writes down. Six digits, never the login, never derived from it. */

export const AGENT_ID_PATTERN = /^[0-9]{6}$/;

/** Makes an agent ID from a random integer source (injected so tests are deterministic). */
export function makeAgentId(randomInt: (maxExclusive: number) => number): string {
  // 100000–999999: never a leading zero, so it reads the same spoken or written.
  return String(100000 + randomInt(900000));
}

/** True when `value` has the shape of an agent ID. */
export function isAgentId(value: string): boolean {
  return AGENT_ID_PATTERN.test(value);
}
