import { Fn, TerraformStack, Testing } from 'cdktf';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { isJsonencode, parseJsonencode } from '../../policy/jsonencode';
import { parsePolicy } from '../../policy/iam';

describe('reading Fn.jsonencode policies', () => {
  it('recovers the document cdktf rendered, references as ${…} strings', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const key = new KmsKey(stack, 'k', {});
    const partition = new DataAwsPartition(stack, 'p').partition;
    const document = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [key.arn, `arn:${partition}:ec2:*:*:vpc/${key.keyId}`], Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': 10 } } },
        { Effect: 'Deny', Action: 'kms:Delete*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a "quoted" value' } } },
      ],
    };
    new IamRolePolicy(stack, 'r', { role: 'x', policy: Fn.jsonencode(document) });
    const rendered = JSON.parse(Testing.synth(stack)).resource.aws_iam_role_policy.r.policy;
    expect(isJsonencode(rendered)).toBe(true);
    expect(parseJsonencode(rendered)).toEqual({
      ...document,
      Statement: [
        { ...document.Statement[0], Resource: ['${aws_kms_key.k.arn}', 'arn:${data.aws_partition.p.partition}:ec2:*:*:vpc/${aws_kms_key.k.key_id}'] },
        document.Statement[1],
      ],
    });
  });

  it('keeps function calls whole and unescapes literal ${', () => {
    expect(parseJsonencode('${jsonencode({"a" = [element(split(":", aws_eks_cluster.c.arn), 4), "x $${y}"], b = null, "c" = -1.5e2})}')).toEqual({
      a: ['${element(split(":", aws_eks_cluster.c.arn), 4)}', 'x ${y}'],
      b: null,
      c: -150,
    });
  });

  it('reads JSON and jsonencode alike, and leaves anything else alone', () => {
    expect(parsePolicy('{"Statement":[]}')).toEqual({ Statement: [] });
    expect(parsePolicy('${jsonencode({"Statement" = []})}')).toEqual({ Statement: [] });
    expect(parsePolicy('${data.aws_iam_policy_document.x.json}')).toBeUndefined();
    expect(parsePolicy('${jsonencode({"Statement" = [})}')).toBeUndefined();
  });
});
