/**
 * The `ping@1` feature (docs/protocol.md §12.1): the host sends PING `0x40 seq`, the plugin
 * answers PONG `0x41 seq` as soon as it reads it, even while its calls run. A plugin that
 * answers no ping for a while is unresponsive: its event loop (or thread) is stuck.
 */
import { WireError, type ByteReader } from '../../codec/bytes.js';
import type { Peer, PeerFeature } from '../peer/peer.js';

export const PING_FEATURE = 'ping@1';
export const PING = 0x40;
export const PONG = 0x41;

/** The plugin's side: answer every ping. */
export function pingResponder(peer: () => Peer): PeerFeature {
  return {
    name: PING_FEATURE, kinds: [PING],
    receive(kind, body) {
      const seq = readSeq(body);
      peer().sendFeature(PONG, (w) => w.uleb(seq));
    },
  };
}

export interface PingMonitorOptions {
  /** How often to ping. */
  readonly intervalMs: number;
  /** How long without an answer makes the plugin unresponsive. */
  readonly timeoutMs: number;
  /** When false, this round is skipped (the worker transport does not ping a thread running guest code). */
  readonly shouldPing?: () => boolean;
  /** Called once, when no answer came for `timeoutMs`. */
  readonly unresponsive: (silentForMs: number) => void;
}

export interface PingMonitor {
  readonly feature: PeerFeature;
  /** Starts pinging through `peer`. */
  start(peer: Peer): void;
  stop(): void;
}

/** The host's side: ping on an interval, and report silence. */
export function pingMonitor(options: PingMonitorOptions): PingMonitor {
  let seq = 0;
  let lastAnswer = 0;
  let timer: NodeJS.Timeout | undefined;
  let reported = false;
  const monitor: PingMonitor = {
    feature: {
      name: PING_FEATURE, kinds: [PONG],
      receive(kind, body) {
        readSeq(body);
        lastAnswer = Date.now();
      },
    },
    start(peer) {
      lastAnswer = Date.now();
      timer = setInterval(() => {
        if (options.shouldPing && !options.shouldPing()) {
          lastAnswer = Date.now();
          return;
        }
        const silent = Date.now() - lastAnswer;
        if (silent >= options.timeoutMs && !reported) {
          reported = true;
          monitor.stop();
          options.unresponsive(silent);
          return;
        }
        peer.sendFeature(PING, (w) => w.uleb(++seq));
      }, options.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return monitor;
}

function readSeq(body: ByteReader): number {
  const seq = body.uleb();
  if (body.remaining !== 0) throw new WireError('trailing bytes after a ping');
  return seq;
}
