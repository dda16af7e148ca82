/**
 * The parts of `wasi:http/types` a plugin builds before asking to send something: a
 * request (method, path, scheme, authority, headers, body), its options, and a response.
 * They are plain data; sending is what `outgoing-handler.handle` refuses.
 */
import { discardSink, OutputStream } from '../io/streams.js';
import { Fields } from './fields.js';

type Method = { tag: 'get' | 'head' | 'post' | 'put' | 'delete' | 'connect' | 'options' | 'trace' | 'patch' } | { tag: 'other'; val: string };
type Scheme = { tag: 'HTTP' | 'HTTPS' } | { tag: 'other'; val: string };

/** The `err` of a `result` without an error type. */
class Refused {
  readonly payload = undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const validMethod = (m: Method) => m.tag !== 'other' || TOKEN.test(m.val);
const validScheme = (s: Scheme | undefined) => s === undefined || s.tag !== 'other' || /^[A-Za-z][A-Za-z0-9+.-]*$/.test(s.val);
// No whitespace or control characters; the rest is the server's business.
const validText = (s: string | undefined) => s === undefined || !/[\u0000-\u0020\u007f]/.test(s);

/** `outgoing-body`: its one stream takes the bytes and drops them (nothing is ever sent). */
export class OutgoingBody {
  private written = false;

  static finish(_body: OutgoingBody, _trailers: Fields | undefined): void {}

  write(): OutputStream {
    if (this.written) throw new Refused();
    this.written = true;
    return new OutputStream(discardSink);
  }
}

/** Hands out a message's body once, as WASI requires. */
class BodyOnce {
  private taken = false;

  take(): OutgoingBody {
    if (this.taken) throw new Refused();
    this.taken = true;
    return new OutgoingBody();
  }
}

export class OutgoingRequest {
  private methodValue: Method = { tag: 'get' };
  private path: string | undefined;
  private schemeValue: Scheme | undefined;
  private authorityValue: string | undefined;
  private readonly bodyOnce = new BodyOnce();

  constructor(private readonly fields: Fields) {
    fields.freeze();
  }

  body(): OutgoingBody {
    return this.bodyOnce.take();
  }

  method(): Method {
    return this.methodValue;
  }

  setMethod(method: Method): void {
    if (!validMethod(method)) throw new Refused();
    this.methodValue = method;
  }

  pathWithQuery(): string | undefined {
    return this.path;
  }

  setPathWithQuery(path: string | undefined): void {
    if (!validText(path)) throw new Refused();
    this.path = path;
  }

  scheme(): Scheme | undefined {
    return this.schemeValue;
  }

  setScheme(scheme: Scheme | undefined): void {
    if (!validScheme(scheme)) throw new Refused();
    this.schemeValue = scheme;
  }

  authority(): string | undefined {
    return this.authorityValue;
  }

  setAuthority(authority: string | undefined): void {
    if (!validText(authority)) throw new Refused();
    this.authorityValue = authority;
  }

  headers(): Fields {
    return Fields.frozenView(this.fields);
  }
}

export class RequestOptions {
  private connect: bigint | undefined;
  private firstByte: bigint | undefined;
  private betweenBytes: bigint | undefined;

  connectTimeout(): bigint | undefined {
    return this.connect;
  }

  setConnectTimeout(duration: bigint | undefined): void {
    this.connect = duration;
  }

  firstByteTimeout(): bigint | undefined {
    return this.firstByte;
  }

  setFirstByteTimeout(duration: bigint | undefined): void {
    this.firstByte = duration;
  }

  betweenBytesTimeout(): bigint | undefined {
    return this.betweenBytes;
  }

  setBetweenBytesTimeout(duration: bigint | undefined): void {
    this.betweenBytes = duration;
  }
}

export class OutgoingResponse {
  private status = 200;
  private readonly bodyOnce = new BodyOnce();

  constructor(private readonly fields: Fields) {
    fields.freeze();
  }

  statusCode(): number {
    return this.status;
  }

  setStatusCode(status: number): void {
    if (status < 100 || status > 999) throw new Refused();
    this.status = status;
  }

  headers(): Fields {
    return Fields.frozenView(this.fields);
  }

  body(): OutgoingBody {
    return this.bodyOnce.take();
  }
}
