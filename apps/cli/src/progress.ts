import { Presets, SingleBar } from 'cli-progress';

/**
 * The progress line of a long command, on stderr (stdout is for data and results): drawn as soon
 * as it is started, before the first batch, then redrawn as the work goes. When stderr is not a
 * terminal (a log file, CI), it prints a plain line at start, every 5 seconds and at the end
 * instead of redrawing one.
 */
export function progressBar(format: string): SingleBar {
  return new SingleBar({ format, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000, stream: process.stderr }, Presets.shades_classic);
}
