import type { AdapterPeer } from '../adapter.js';
import { formatSocketAddress } from './server-listener.js';

/** status() lists at most this many peers; `connections` keeps the full count. */
export const MAX_LISTED_PEERS = 100;

/** The far end of an accepted socket: `address:port` (IPv6 in brackets), or `unknown` once it is gone. */
export function remoteOf(socket: {
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
}): string {
  return socket.remoteAddress === undefined
    ? 'unknown'
    : formatSocketAddress(socket.remoteAddress, socket.remotePort);
}

/**
 * A peer as status() shows it, made when the connection opens: the remote
 * is read then, since a socket forgets its address once it closes.
 */
export function createPeer(socket: PeerSocket, role: string, now: Date = new Date()): AdapterPeer {
  return { remote: remoteOf(socket), role, since: now.toISOString() };
}

/** A socket's address as node keeps it (net.Socket); read at listing time. */
export interface PeerSocket {
  remoteAddress?: string | undefined;
  remotePort?: number | undefined;
}

/**
 * A connection as a busy server keeps it until status() asks: the socket
 * (held open anyway), a role and the open time, a few bytes per idle
 * connection instead of two strings. node caches a socket's peer address
 * once read (the handshake's log line reads it), so a listing stays right.
 */
export interface PeerRecord {
  readonly socket: PeerSocket;
  readonly role: string;
  readonly openedAt: number;
}

/** The records as peers, made one at a time (listPeers stops after MAX_LISTED_PEERS). */
export function* peersOf(records: Iterable<PeerRecord>): Generator<AdapterPeer> {
  for (const record of records) yield createPeer(record.socket, record.role, new Date(record.openedAt));
}

/**
 * The peers of one or more connection sets, oldest first, at most
 * MAX_LISTED_PEERS. Each set iterates in insertion order (Map and Set do),
 * so only sets of different sources need merging by `since`.
 */
export function listPeers(...sources: Iterable<AdapterPeer>[]): AdapterPeer[] {
  const listed: AdapterPeer[] = [];
  for (const source of sources) {
    let taken = 0;
    for (const peer of source) {
      if (taken === MAX_LISTED_PEERS) break;
      listed.push(peer);
      taken += 1;
    }
  }
  // ISO 8601 strings in UTC sort as text; the sort is stable, so equal times keep their order.
  if (sources.length > 1) listed.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
  return listed.length > MAX_LISTED_PEERS ? listed.slice(0, MAX_LISTED_PEERS) : listed;
}
