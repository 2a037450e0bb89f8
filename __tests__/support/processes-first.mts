/**
 * The order test files start in: files that start real processes (the daemon, the Lambda runtime,
 * the CLIs) first, then the rest, each group in vitest's own order (slowest last run first; on a
 * fresh clone, largest first). Those files spend most of their time waiting on their processes, so
 * started first they overlap the CPU-bound files instead of trailing the run on an idle machine.
 */
import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** What a test file that starts processes imports. */
const STARTS_PROCESSES = /from '(node:)?child_process'|helpers\/daemon-|from '\.\/system'|from '\.\/interruption-path'|lambda-runtime/;

export const startsProcesses = (file: string): boolean => STARTS_PROCESSES.test(readFileSync(file, 'utf8'));

export class ProcessesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = new Set(sorted.filter((f) => startsProcesses(f.moduleId)));
    return [...sorted.filter((f) => first.has(f)), ...sorted.filter((f) => !first.has(f))];
  }
}
