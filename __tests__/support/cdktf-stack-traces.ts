/**
 * jest setupFilesAfterEnv: cdktf records a stack trace for every token it creates, read only when
 * that token later fails to resolve. Under jest every such trace is formatted through source maps,
 * which was a third of a platform test file's CPU; here tokens record an empty creation stack.
 * Errors keep their own stack traces (and so do test failures).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- patches the module object cdktf itself calls through
const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: (below?: Function) => string[] };
stackTrace.captureStackTrace = () => [];
