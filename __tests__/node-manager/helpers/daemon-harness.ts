/**
 * The setup the daemon-process tests share: a fresh fake IMDS (for `instanceId`) and fake Lambda
 * endpoint per test, the daemon spawned against both, and everything stopped after the test.
 * Call inside a `describe`.
 */
import { FakeImds } from '../../fakes/imds';
import { FakeLambdaEndpoint } from '../../fakes/lambda-endpoint';
import { DaemonProcess, testEnv } from './daemon-process';

export interface DaemonHarness {
  readonly imds: FakeImds;
  readonly lambda: FakeLambdaEndpoint;
  /** Spawn the daemon pointed at this test's fakes; `env` adds to or overrides its environment. */
  spawn(env: Record<string, string>): DaemonProcess;
}

export function useDaemonHarness(instanceId: string): DaemonHarness {
  const state = {} as { imds: FakeImds; lambda: FakeLambdaEndpoint; daemon?: DaemonProcess };
  beforeEach(async () => {
    [state.imds, state.lambda] = await Promise.all([FakeImds.start({ instanceId }), FakeLambdaEndpoint.start()]);
  });
  afterEach(async () => {
    await state.daemon?.stop();
    state.daemon = undefined;
    await Promise.all([state.imds.close(), state.lambda.close()]);
  });
  return {
    get imds() { return state.imds; },
    get lambda() { return state.lambda; },
    spawn: (env) =>
      (state.daemon = DaemonProcess.spawn(
        testEnv({ AWS_EC2_METADATA_SERVICE_ENDPOINT: state.imds.url, AWS_ENDPOINT_URL_LAMBDA: state.lambda.url, ...env }),
      )),
  };
}
