/** Test-side readers of rendered user data: base64 → MIME parts → NodeConfig YAML / Bottlerocket TOML. */
import { parse } from 'yaml';

export function fromBase64(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

export interface MimePart {
  contentType: string;
  body: string;
}

/** Splits a multipart/mixed document on the boundary its header declares. */
export function mimeParts(doc: string): MimePart[] {
  const boundary = /boundary="([^"]+)"/.exec(doc)?.[1];
  if (!boundary) throw new Error('no MIME boundary in user data');
  const [, ...chunks] = doc.split(`--${boundary}`);
  const last = chunks.pop();
  if (!last?.startsWith('--')) throw new Error('MIME document is not closed');
  return chunks.map((chunk) => {
    const [head, ...rest] = chunk.replace(/^\n/, '').split('\n\n');
    // The newline before a boundary line belongs to the boundary (RFC 2046), not to the body.
    return { contentType: /^Content-Type: (.*)$/m.exec(head)?.[1] ?? '', body: rest.join('\n\n').replace(/\n$/, '') };
  });
}

export interface NodeConfig {
  apiVersion: string;
  kind: string;
  spec: {
    cluster: { name: string; apiServerEndpoint: string; certificateAuthority: string; cidr: string };
    kubelet: { flags: string[] };
  };
}

export function nodeConfigOf(userDataB64: string): NodeConfig {
  const part = mimeParts(fromBase64(userDataB64)).find((p) => p.contentType === 'application/node.eks.aws');
  if (!part) throw new Error('no NodeConfig part');
  return parse(part.body) as NodeConfig;
}

/** The `--flag=` value of a kubelet flag, split into its comma-separated items. */
export function kubeletFlag(config: NodeConfig, flag: string): string[] {
  const value = config.spec.kubelet.flags.find((f) => f.startsWith(`${flag}=`));
  return value === undefined ? [] : value.slice(flag.length + 1).split(',');
}

/** Reads the TOML subset our Bottlerocket renderer writes: [tables], quoted/bare keys, strings, string arrays. */
export function readToml(text: string): Record<string, Record<string, unknown>> {
  const tables: Record<string, Record<string, unknown>> = {};
  let current = '';
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const table = /^\[(.+)\]$/.exec(line);
    if (table) {
      current = table[1];
      tables[current] = {};
      continue;
    }
    const kv = /^("(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+) = (.*)$/.exec(line);
    if (!kv) throw new Error(`unreadable TOML line: ${line}`);
    const key = kv[1].startsWith('"') ? (JSON.parse(kv[1]) as string) : kv[1];
    tables[current][key] = JSON.parse(kv[2]);
  }
  return tables;
}
