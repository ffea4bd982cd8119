/**
 * A progress bar for long commands (seed, import), drawn with cli-progress on a terminal only: when standard
 * error is a file or a pipe (scripts, CI, tests) nothing is drawn and output stays clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Sets how far along the work is, in the bar's unit. */
  update(value: number): void;
  /** Removes the bar; call before writing anything else. */
  stop(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  unit: 'bytes' | 'records';
}

const NONE: Progress = { update() {}, stop() {} };

const MIB = 1024 * 1024;
const amount = (n: number, unit: ProgressOptions['unit']) =>
  unit === 'bytes' ? `${(n / MIB).toFixed(n < 10 * MIB ? 1 : 0)} MiB` : Math.round(n).toLocaleString('en-US');

/** True when the stream is a terminal a person watches. */
export function isTerminal(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** A bar on `stream` when it is a terminal; otherwise a bar that draws nothing. */
export function progressBar(stream: NodeJS.WritableStream, options: ProgressOptions): Progress {
  if (!isTerminal(stream) || options.total <= 0) return NONE;
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${options.label} [{bar}] {percentage}% | {done} of {of} | {rate}/s | ETA {eta_formatted}`,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  const payload = (value: number) => {
    const seconds = (performance.now() - started) / 1000;
    return { done: amount(value, options.unit), of: amount(options.total, options.unit), rate: seconds > 0 ? amount(value / seconds, options.unit) : '–' };
  };
  bar.start(options.total, 0, payload(0));
  let stopped = false;
  return {
    update(value) {
      if (!stopped) bar.update(Math.min(value, options.total), payload(value));
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
