/** A MIME multipart/mixed document, the container AL2023 (cloud-init + nodeadm) reads user data from. */
import type { UserDataPart } from '../launch-spec';

/** Fixed so output is stable between synths; parts may not contain `--<boundary>`. */
export const MIME_BOUNDARY = '//SPOT-READY-EKS-BOUNDARY//';

export function mimeMultipart(parts: readonly UserDataPart[]): string {
  const body = parts.map((part) => `--${MIME_BOUNDARY}\nContent-Type: ${part.contentType}\n\n${part.content.replace(/\n?$/, '\n')}`);
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${MIME_BOUNDARY}"`,
    '',
    ...body,
    `--${MIME_BOUNDARY}--`,
    '',
  ].join('\n');
}
