import { Construct } from 'constructs';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { PolicyStatement, policyDocument } from './policy';

/** An IAM role another construct may grant permissions to (ours, or one you made). */
export interface IGrantableRole {
  /** The role's name (the `name` of an `aws_iam_role`). */
  readonly roleName: string;
  /** Where the grant's inline policy is created: the role's own construct, so it lands in the role's stack. */
  readonly grantScope: Construct;
}

/** Adds an inline policy with `statements` to `grantee` (aws-cdk's grant pattern). */
export function grant(grantee: IGrantableRole, id: string, statements: PolicyStatement[]): IamRolePolicy {
  return new IamRolePolicy(grantee.grantScope, id, { role: grantee.roleName, policy: policyDocument(statements) });
}
