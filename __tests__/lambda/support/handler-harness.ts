/**
 * The setup every handler test shares: a simulated standard account with the monitoring secret, a local
 * webhook server (its recorded requests cleared per test), the handler configured to post to it, and
 * stdout captured. Call inside a `describe`; read the per-test objects from the returned harness.
 */
import { captureOutput } from './capture-output';
import { configureHandler, SECRET_ARN, standardAccount } from './fixtures';
import { startLocalServer } from '../../fakes/recording-server';
import { SimulatedAws } from './simulated-aws';

export type LocalServer = Awaited<ReturnType<typeof startLocalServer>>;

export interface HandlerHarness {
  /** The simulated account of the current test. */
  readonly sim: SimulatedAws;
  /** The webhook server, shared by the describe block. */
  readonly webhook: LocalServer;
  /** Captured output of the current test. */
  readonly output: ReturnType<typeof captureOutput>;
}

export interface HandlerHarnessOptions {
  /** HMAC secret stored in the monitoring secret. */
  readonly hmacSecret: string;
  /** Path appended to the webhook server's URL. @default '/hook' */
  readonly webhookPath?: string;
  /** Reset the webhook's answer to 200 `{}` before each test (else the last test's responder stays). @default false */
  readonly answerOk?: boolean;
}

export function useHandlerHarness(opts: HandlerHarnessOptions): HandlerHarness {
  const state = {} as { sim: SimulatedAws; webhook: LocalServer; output: ReturnType<typeof captureOutput> };
  beforeAll(async () => { state.webhook = await startLocalServer(); });
  afterAll(() => state.webhook.close());
  beforeEach(() => {
    state.sim = standardAccount(new SimulatedAws().install());
    state.sim.secrets.set(SECRET_ARN, JSON.stringify({ hmacSecret: opts.hmacSecret }));
    state.webhook.requests.length = 0;
    if (opts.answerOk) state.webhook.respondWith(() => ({ status: 200, body: {} }));
    configureHandler({ MONITORING_PROVIDER: 'webhook', MONITORING_SECRET_ARN: SECRET_ARN, WEBHOOK_URL: `${state.webhook.url}${opts.webhookPath ?? '/hook'}` });
    state.output = captureOutput();
  });
  afterEach(() => { state.output.restore(); state.sim.restore(); });
  return {
    get sim() { return state.sim; },
    get webhook() { return state.webhook; },
    get output() { return state.output; },
  };
}
