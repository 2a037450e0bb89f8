/**
 * The four AWS wire protocols the installed SDK v3 clients speak (see each client's
 * `dist-cjs/index.js`: `AwsEc2QueryProtocol`, `AwsQueryProtocol`, `AwsJson1_0Protocol`,
 * `AwsJson1_1Protocol`): how a fake reads a request and writes a success or an error.
 */

/** `ec2` = EC2 query; `query` = awsQuery (ELBv2, SNS); `json1.0` (DynamoDB, SQS); `json1.1` (Secrets Manager). */
export type WireProtocol = 'ec2' | 'query' | 'json1.0' | 'json1.1';

/** What a service fake needs the server to know about its wire format. */
export interface WireFormat {
  readonly protocol: WireProtocol;
  /** XML namespace of responses (query protocols). */
  readonly xmlns?: string;
  /** `X-Amz-Target` prefix before the dot, e.g. `DynamoDB_20120810` (JSON protocols). */
  readonly targetPrefix?: string;
  /** Prefix of `__type` in JSON errors, e.g. `com.amazonaws.dynamodb.v20120810#`; '' for none. */
  readonly errorTypePrefix?: string;
  /** SQS is `awsQueryCompatible`: errors also carry `x-amzn-query-error: <code>;<Sender|Receiver>`. */
  readonly queryCompatible?: boolean;
}

/** An error a fake returns the way AWS would; the server encodes it for the protocol. */
export class FakeAwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly options: {
      readonly fault?: 'Sender' | 'Receiver';
      /** awsQueryCompatible services: the legacy query code, when it differs from `code`. */
      readonly queryCode?: string;
      /** Extra top-level JSON members (e.g. DynamoDB's `Item` on a failed condition). */
      readonly extra?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.name = code;
  }
}

export interface DecodedRequest {
  readonly action: string;
  /** Query protocols: the form fields. JSON protocols: the parsed body. */
  readonly input: URLSearchParams | Record<string, unknown>;
}

export interface EncodedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const isJson = (p: WireProtocol): boolean => p === 'json1.0' || p === 'json1.1';

/** Reads the action and input, or throws a {@link FakeAwsError} the client will understand. */
export function decodeRequest(format: WireFormat, headers: Record<string, string | string[] | undefined>, body: string): DecodedRequest {
  if (isJson(format.protocol)) {
    const target = String(headers['x-amz-target'] ?? '');
    const [prefix, action] = target.split('.');
    if (prefix !== format.targetPrefix || !action) {
      throw new FakeAwsError('UnknownOperationException', `X-Amz-Target '${target}' is not ${format.targetPrefix}.<Action>`);
    }
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body) : {};
    } catch {
      throw new FakeAwsError('SerializationException', 'request body is not valid JSON');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new FakeAwsError('SerializationException', 'request body must be a JSON object');
    }
    return { action, input: input as Record<string, unknown> };
  }
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  if (!action) throw new FakeAwsError('MissingAction', 'form field Action is required');
  return { action, input: form };
}

/** Wraps an action's result: XML fragment for query protocols, an object for JSON ones. */
export function encodeSuccess(format: WireFormat, action: string, result: string | object, requestId: string): EncodedResponse {
  if (isJson(format.protocol)) {
    return {
      status: 200,
      headers: { 'content-type': `application/x-amz-json-${format.protocol.slice(4)}`, 'x-amzn-requestid': requestId },
      body: JSON.stringify(result),
    };
  }
  const inner = typeof result === 'string' ? result : '';
  const ns = ` xmlns="${format.xmlns ?? ''}"`;
  const body =
    format.protocol === 'ec2'
      ? `<${action}Response${ns}><requestId>${requestId}</requestId>${inner}</${action}Response>`
      : `<${action}Response${ns}><${action}Result>${inner}</${action}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: XML_DECL + body };
}

/** Encodes an error exactly where each protocol's SDK deserializer looks for the code. */
export function encodeError(format: WireFormat, error: FakeAwsError, requestId: string): EncodedResponse {
  const fault = error.options.fault ?? (error.status >= 500 ? 'Receiver' : 'Sender');
  if (isJson(format.protocol)) {
    const headers: Record<string, string> = {
      'content-type': `application/x-amz-json-${format.protocol.slice(4)}`,
      'x-amzn-requestid': requestId,
    };
    if (format.queryCompatible) headers['x-amzn-query-error'] = `${error.options.queryCode ?? error.code};${fault}`;
    const body = { __type: `${format.errorTypePrefix ?? ''}${error.code}`, message: error.message, ...error.options.extra };
    return { status: error.status, headers, body: JSON.stringify(body) };
  }
  const detail = tag('Code', error.code) + tag('Message', error.message);
  const body =
    format.protocol === 'ec2'
      ? `<Response><Errors><Error>${detail}</Error></Errors><RequestID>${requestId}</RequestID></Response>`
      : `<ErrorResponse xmlns="${format.xmlns ?? ''}"><Error>${tag('Type', fault)}${detail}</Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: XML_DECL + body };
}

// ---- XML writing: `tag` escapes text, `node` nests already-built XML. ----
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/** `<name>text</name>`, or nothing when the value is undefined (absent members stay absent). */
export function tag(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>…children…</name>` where children are XML built by {@link tag}/{@link node}. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A wrapped list: EC2 wraps items in `<item>`, awsQuery in `<member>`. */
export function xmlList<T>(name: string, item: 'item' | 'member', values: readonly T[], render: (v: T) => string): string {
  return node(name, ...values.map((v) => node(item, render(v))));
}
