/**
 * `wasi:sockets`, deny-all: no grant offers the network. Every operation that can fail
 * fails with `access-denied` (what a WASI host returns when its policy refuses a socket or
 * a name lookup), so a plugin cannot create a socket, so it cannot connect, bind, listen or
 * resolve a name. `instance-network` still hands out a network handle (it has no error
 * result, and a handle alone can do nothing).
 *
 * The socket and stream resource types exist because the interfaces declare them; as no
 * socket is ever created, no instance of them exists and their methods cannot be reached.
 */

/** The `err` payload of every refused operation. */
class SocketDenied {
  readonly payload = 'access-denied';
}

const denied = (): never => {
  throw new SocketDenied();
};

/** `wasi:sockets/network.network`: a handle without powers. */
export class Network {
  /** Declared by the wasi:sockets@0.2.10 that jco ships (a workaround on their side); does nothing. */
  noop(): void {}
}

/** Never created: `resolve-addresses` always fails. */
export class ResolveAddressStream {
  private constructor() {}
}

/** Never created: `create-tcp-socket` always fails. */
export class TcpSocket {
  private constructor() {}
}

/** Never created: `create-udp-socket` always fails. */
export class UdpSocket {
  private constructor() {}
}

/** Never created: only a UDP socket's `stream` makes one. */
export class IncomingDatagramStream {
  private constructor() {}
}

/** Never created: only a UDP socket's `stream` makes one. */
export class OutgoingDatagramStream {
  private constructor() {}
}

export function socketInterfaces(): Record<string, object> {
  const network = new Network();
  return {
    'wasi:sockets/network': { Network, networkErrorCode: (): undefined => undefined },
    'wasi:sockets/instance-network': { instanceNetwork: () => network },
    'wasi:sockets/ip-name-lookup': { ResolveAddressStream, resolveAddresses: denied },
    'wasi:sockets/tcp': { TcpSocket },
    'wasi:sockets/tcp-create-socket': { createTcpSocket: denied },
    'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'wasi:sockets/udp-create-socket': { createUdpSocket: denied },
  };
}
