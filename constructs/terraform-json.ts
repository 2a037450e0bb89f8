/**
 * JSON-valued Terraform arguments (IAM, KMS, SQS, SNS and ECR policies, EventBridge patterns,
 * dashboard bodies) whose values hold cdktf tokens.
 *
 * cdktf writes a one-line string that contains `${…}` into HCL without escaping its quotes, so
 * `cdktf synth --hcl` of a compact `JSON.stringify` is not HCL (hashicorp/terraform-cdk#3911).
 * A string of several lines is written as a heredoc, where quotes need no escaping and `${…}`
 * still interpolates: the same value in both outputs, valid HCL, and in `cdk.tf.json` a plain JSON
 * string that policy checkers and `JSON.parse` read as before. The AWS provider normalises the
 * whitespace of every one of these arguments, so indentation causes no diff.
 */
export function terraformJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  // Scalars and empty containers stringify to one line; they hold no quotes to mangle only when
  // they hold no token, so anything else would break the guarantee above.
  if (!text.includes('\n') && text.includes('"')) throw new Error(`terraformJson needs an object or array with content, got ${text}`);
  return text;
}
