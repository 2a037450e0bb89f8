import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
const app = new App();
const s = new TerraformStack(app, 'cluster');
new AwsProvider(s, 'aws', { region: 'eu-west-1' });
new SnsTopic(s, 't', { name: 'x' });
app.synth();
