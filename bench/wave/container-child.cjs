// One warm Lambda container for the wave bench: loads the REAL bundled handler once and runs one event
// at a time, with a context whose remaining time counts down to the function's timeout.
const { handler } = require(process.env.HANDLER_BUNDLE);
let requests = 0;
process.on('message', async ({ id, event, deadline }) => {
  const context = {
    awsRequestId: `bench-${process.pid}-${++requests}`,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    process.send({ id, ok: true, result: await handler(event, context) });
  } catch (error) {
    process.send({ id, ok: false, error: `${error.name}: ${error.message}` });
  }
});
process.send({ ready: true });
