/**
 * Test setup file: cdktf records a stack trace for every token it creates, read only when that
 * token later fails to resolve. Capturing (and, with source maps on, formatting) thousands of them
 * is a large share of a platform synth's CPU; here tokens record an empty creation stack.
 * Errors keep their own stack traces (and so do test failures).
 */
// The module object cdktf's tokens call through (`(0, stack_trace_1.captureStackTrace)()`), so patching it takes.
const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: Function) => string[] };
stackTrace.captureStackTrace = () => [];
