/**
 * Typed IAM policy documents rendered with terraformJson: cdktf tokens inside ARNs survive as
 * `${…}` interpolations, the HCL output stays valid, and the synthesized JSON stays readable for
 * the policy suite.
 */
import { terraformJson } from '../terraform-json';

export interface PolicyStatement {
  readonly sid?: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources: string[];
  /** e.g. `{ StringEquals: { 'aws:ResourceTag/kubernetes.io/cluster/x': 'owned' } }` */
  readonly conditions?: Record<string, Record<string, string | string[] | boolean>>;
}

export function policyDocument(statements: PolicyStatement[]): string {
  return terraformJson({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      ...(s.sid ? { Sid: s.sid } : {}),
      Effect: s.effect ?? 'Allow',
      Action: s.actions,
      Resource: s.resources,
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/** Trust policy for an AWS service principal, e.g. `lambda.amazonaws.com`. */
export function serviceTrustPolicy(service: string, extraActions: string[] = []): string {
  return terraformJson({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', ...extraActions] }],
  });
}

/** Where a service may assume a role from: one account, and resources matching one ARN pattern. */
export interface TrustSource {
  readonly account: string;
  readonly arnLike: string;
}

/**
 * Trust policy for an AWS service acting on behalf of one of our resources, pinned with
 * `aws:SourceAccount` and `aws:SourceArn` so no other account's resource can use the role (confused deputy).
 */
export function sourcePinnedTrustPolicy(service: string, source: TrustSource): string {
  return terraformJson({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': source.account }, ArnLike: { 'aws:SourceArn': source.arnLike } },
    }],
  });
}

/** Who may assume a Pod Identity role: one service account of one cluster. */
export interface PodIdentitySubject {
  readonly clusterArn: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * Trust policy for EKS Pod Identity. The agent assumes the role and tags the session with the
 * cluster, namespace and service account, so the condition pins the role to exactly one of them.
 */
export function podIdentityTrustPolicy(subject: PodIdentitySubject): string {
  return terraformJson({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-arn': subject.clusterArn,
            'aws:RequestTag/kubernetes-namespace': subject.namespace,
            'aws:RequestTag/kubernetes-service-account': subject.serviceAccount,
          },
        },
      },
    ],
  });
}

/** The ARN of an AWS-managed policy, partition-aware through a token. */
export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}
