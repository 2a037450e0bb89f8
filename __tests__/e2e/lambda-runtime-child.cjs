// A warm "Lambda container" for the e2e test: loads the REAL bundled handler once and runs each
// event sent over IPC, as the nodejs22.x runtime would. Plain JS: it runs outside jest's sandbox.
const { handler } = require(process.env.HANDLER_BUNDLE);
let requests = 0;
process.on('message', async ({ id, event }) => {
  const context = {
    awsRequestId: `e2e-${++requests}`,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => 90_000,
  };
  try {
    process.send({ id, ok: true, result: await handler(event, context) });
  } catch (error) {
    process.send({ id, ok: false, error: `${error.name}: ${error.message}` });
  }
});
process.send({ ready: true });
