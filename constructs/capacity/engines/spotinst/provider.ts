/**
 * The `spotinst` Terraform provider, bound by hand (no prebuilt cdktf binding exists), the way the
 * generated `@cdktf/provider-aws` binds `aws`: a `TerraformProvider` with its resource type,
 * generator metadata and registry source. Keep `token` out of code: pass a sensitive
 * `TerraformVariable`'s value, or leave it unset so the provider reads `SPOTINST_TOKEN`.
 *
 * The version is pinned to the release the schema snapshot was generated from, so moving to a new
 * provider release is a deliberate update: regenerate schema/provider-schema.json (see
 * schema/README.md), and the synth-time schema check tells what changed.
 */
import { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { toHclAttributes } from './schema/hcl';
import { checkSpotinstAtSynth } from './schema/stack-check';
import { SPOTINST_PROVIDER_RELEASE, SPOTINST_SCHEMA } from './schema/provider-schema';

export const SPOTINST_PROVIDER_SOURCE = 'spotinst/spotinst';
/** Exactly the release of the schema snapshot, e.g. `1.240.0`. */
export const SPOTINST_PROVIDER_VERSION = SPOTINST_PROVIDER_RELEASE;

export interface SpotinstProviderConfig {
  /** API token. @default - the SPOTINST_TOKEN environment variable */
  readonly token?: string;
  /** Spot account id (`act-…`). @default - the SPOTINST_ACCOUNT environment variable */
  readonly account?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** @default - none */
  readonly featureFlags?: string;
  /**
   * Version constraint written to required_providers. Another release than the snapshot's is
   * still checked against the snapshot's schema: regenerate it when you move.
   * @default SPOTINST_PROVIDER_VERSION (the snapshot's release, exactly)
   */
  readonly version?: string;
  /** @default - none */
  readonly alias?: string;
}

export class SpotinstProvider extends TerraformProvider {
  private readonly config: SpotinstProviderConfig;
  private providerAlias?: string;

  constructor(scope: Construct, id: string, config: SpotinstProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'spotinst',
      terraformGeneratorMetadata: { providerName: 'spotinst', providerVersionConstraint: config.version ?? SPOTINST_PROVIDER_VERSION },
      terraformProviderSource: SPOTINST_PROVIDER_SOURCE,
    });
    this.config = config;
    this.providerAlias = config.alias;
    checkSpotinstAtSynth(this);
  }

  get alias(): string | undefined {
    return this.providerAlias;
  }
  set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  private arguments(): Record<string, unknown> {
    const args = { token: this.config.token, account: this.config.account, enabled: this.config.enabled, feature_flags: this.config.featureFlags };
    return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.arguments();
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return toHclAttributes(this.arguments(), SPOTINST_SCHEMA.provider, 'provider.spotinst');
  }
}
