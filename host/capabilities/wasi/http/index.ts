/**
 * `wasi:http` outgoing, deny-all: a plugin may build requests (`outgoing.ts`, `fields.ts`),
 * but `outgoing-handler.handle` refuses every one with `HTTP-request-denied` before
 * anything touches the network. No grant offers HTTP.
 *
 * The incoming side's resource types exist because `wasi:http/types` declares them, but
 * the host never serves `wasi:http/incoming-handler` and never answers a request, so no
 * incoming request, response, body, trailers or response-outparam is ever created and
 * their functions cannot be reached (the two statics trap if they somehow were).
 */
import { Fields } from './fields.js';
import { OutgoingBody, OutgoingRequest, OutgoingResponse, RequestOptions } from './outgoing.js';

const unreachable = (what: string) => (): never => {
  throw new Error(`${what} cannot be called: this host never creates its argument`);
};

/** Never created. */
export class IncomingRequest {
  private constructor() {}
}

/** Never created. */
export class IncomingResponse {
  private constructor() {}
}

/** Never created. */
export class IncomingBody {
  private constructor() {}
  static finish = unreachable('incoming-body.finish');
}

/** Never created. */
export class FutureTrailers {
  private constructor() {}
}

/** Never created: `handle` never succeeds. */
export class FutureIncomingResponse {
  private constructor() {}
}

/** Never created: the host never calls the plugin's incoming handler. */
export class ResponseOutparam {
  private constructor() {}
  static set = unreachable('response-outparam.set');
}

class RequestDenied {
  readonly payload = { tag: 'HTTP-request-denied' };
}

export function httpInterfaces(): Record<string, object> {
  return {
    'wasi:http/types': {
      Fields, OutgoingRequest, RequestOptions, OutgoingResponse, OutgoingBody,
      IncomingRequest, IncomingResponse, IncomingBody, FutureTrailers, FutureIncomingResponse, ResponseOutparam,
      httpErrorCode: (): undefined => undefined,
    },
    'wasi:http/outgoing-handler': {
      handle(): never {
        throw new RequestDenied();
      },
    },
  };
}
