/**
 * The `spotinst` Terraform provider, bound by hand (no prebuilt cdktf binding exists), the way the
 * generated `@cdktf/provider-aws` binds `aws`: a `TerraformProvider` with its resource type,
 * generator metadata and registry source. Keep `token` out of code: pass a sensitive
 * `TerraformVariable`'s value, or leave it unset so the provider reads `SPOTINST_TOKEN`.
 */
import { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';

export const SPOTINST_PROVIDER_SOURCE = 'spotinst/spotinst';

export interface SpotinstProviderConfig {
  /** API token. @default - the SPOTINST_TOKEN environment variable */
  readonly token?: string;
  /** Spot account id (`act-…`). @default - the SPOTINST_ACCOUNT environment variable */
  readonly account?: string;
  /** @default true */
  readonly enabled?: boolean;
  readonly featureFlags?: string;
  /** Version constraint written to required_providers. @default '~> 1.0' */
  readonly version?: string;
  readonly alias?: string;
}

export class SpotinstProvider extends TerraformProvider {
  private readonly config: SpotinstProviderConfig;
  private providerAlias?: string;

  constructor(scope: Construct, id: string, config: SpotinstProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'spotinst',
      terraformGeneratorMetadata: { providerName: 'spotinst', providerVersionConstraint: config.version ?? '~> 1.0' },
      terraformProviderSource: SPOTINST_PROVIDER_SOURCE,
    });
    this.config = config;
    this.providerAlias = config.alias;
  }

  get alias(): string | undefined {
    return this.providerAlias;
  }
  set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      token: this.config.token,
      account: this.config.account,
      enabled: this.config.enabled,
      feature_flags: this.config.featureFlags,
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    throw new Error('SpotinstProvider: the hand-written spotinst binding synthesizes Terraform JSON only; turn off HCL output.');
  }
}
