/** CPU time a process spent (user + system), from /proc: measures cost per request independent of the load generator. */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Seconds of CPU used so far by a process (Linux /proc/<pid>/stat, fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
