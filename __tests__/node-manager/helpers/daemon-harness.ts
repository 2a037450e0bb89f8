/**
 * What a daemon-process test needs, owned by that test alone: a fresh fake IMDS and fake Lambda
 * endpoint (and, on request, a fake Kubernetes API and a webhook receiver), the daemon spawned
 * against them, and everything stopped when the test finishes. Nothing is shared between tests,
 * so tests may run concurrently (`it.concurrent`, `describe.concurrent`).
 *
 *   it.concurrent('…', async ({ expect, onTestFinished }) => {
 *     const nm = await startHarness(onTestFinished, { instanceId: 'i-0a1b2c3d4e5f60718' });
 *     const d = nm.spawn({ NODE_NAME: 'n1' });
 *   });
 */
import { FakeImds, type FakeImdsOptions } from '../../fakes/imds';
import { FakeKubeApi, type FakePod } from '../../fakes/kube-api';
import { FakeLambdaEndpoint } from '../../fakes/lambda-endpoint';
import { startLocalServer } from '../../fakes/recording-server';
import { DaemonProcess, testEnv } from './daemon-process';

export type RecordingServer = Awaited<ReturnType<typeof startLocalServer>>;

export interface HarnessOptions extends FakeImdsOptions {
  /**
   * A fake Kubernetes API holding `node` and its `pods`: every spawn gets a kubeconfig for it,
   * DRAIN_ENABLED=true and NODE_NAME=`node` (overridable per spawn).
   */
  readonly kube?: { readonly node: string; readonly pods: readonly FakePod[] };
  /** Start a local server that records what it receives (an operator webhook). */
  readonly hook?: boolean;
  /** Environment every spawn gets, before the spawn's own. */
  readonly env?: Record<string, string>;
}

export interface DaemonHarness {
  readonly imds: FakeImds;
  readonly lambda: FakeLambdaEndpoint;
  /** The fake Kubernetes API (only with the `kube` option). */
  readonly kube: FakeKubeApi;
  /** The recording server (only with the `hook` option). */
  readonly hook: RecordingServer;
  /** Every daemon spawned so far, oldest first. */
  readonly daemons: readonly DaemonProcess[];
  /** Spawn the daemon pointed at this harness's fakes; `env` adds to or overrides its environment. */
  spawn(env?: Record<string, string>): DaemonProcess;
}

/** Registers a callback run once the test has finished: the test context's `onTestFinished`. */
export type OnFinished = (fn: () => Promise<void> | void) => void;

export async function startHarness(onFinished: OnFinished, options: HarnessOptions = {}): Promise<DaemonHarness> {
  const { kube: kubeSpec, hook: wantHook, env: baseEnv = {}, ...imdsOptions } = options;
  const daemons: DaemonProcess[] = [];
  const closers: Array<() => Promise<void>> = [];
  onFinished(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    await Promise.all(closers.map((close) => close()));
  });
  const started = <T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> =>
    p.then((fake) => {
      closers.push(() => fake.close());
      return fake;
    });
  const [imds, lambda, kube, hook] = await Promise.all([
    started(FakeImds.start(imdsOptions)),
    started(FakeLambdaEndpoint.start()),
    kubeSpec ? started(FakeKubeApi.start(kubeSpec.node, [...kubeSpec.pods])) : undefined,
    wantHook ? started(startLocalServer()) : undefined,
  ]);
  let kubeconfig: string | undefined;
  /** The fake API's settings; the kubeconfig file is written once, unless the spawn brings its own. */
  const kubeEnv = (own: string | undefined): Record<string, string> => {
    if (!kube || !kubeSpec) return {};
    return { DRAIN_ENABLED: 'true', NODE_NAME: kubeSpec.node, KUBECONFIG: own ?? (kubeconfig ??= kube.writeKubeconfig()) };
  };
  return {
    imds,
    lambda,
    get kube(): FakeKubeApi {
      if (!kube) throw new Error('startHarness: pass the kube option for a fake Kubernetes API');
      return kube;
    },
    get hook(): RecordingServer {
      if (!hook) throw new Error('startHarness: pass hook: true for a recording server');
      return hook;
    },
    daemons,
    spawn: (env = {}) => {
      const daemon = DaemonProcess.spawn(
        testEnv({
          AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url,
          AWS_ENDPOINT_URL_LAMBDA: lambda.url,
          ...kubeEnv(env.KUBECONFIG ?? baseEnv.KUBECONFIG),
          ...baseEnv,
          ...env,
        }),
      );
      daemons.push(daemon);
      return daemon;
    },
  };
}
