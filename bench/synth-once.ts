/** Child process of bench/platform.ts: synthesizes the default app once and reports its cost. */
import { performance } from 'node:perf_hooks';

const start = performance.now();
process.env.CDKTF_OUTDIR ??= require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'bench-synth-'));
require('../main');
const synthMs = performance.now() - start;
process.stdout.write(JSON.stringify({ synthMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + '\n');
