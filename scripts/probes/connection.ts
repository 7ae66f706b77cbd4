/**
 * Opens one TCP (and optionally TLS) connection step by step, marking each phase: name lookup, connect,
 * handshake. The certificate is read even when it does not verify, so a sample can say both "self-signed"
 * and how many days it has left; whether to trust it is the caller's decision.
 */
import { once } from "node:events";
import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { ProbeContext } from "./check-type.ts";
import { describeFailure, ProbeFailure } from "./failure.ts";

export interface Certificate {
  /** Days until `validTo`, negative once expired. */
  daysLeft: number;
  validTo: string;
}

export interface OpenOptions {
  host: string;
  port: number;
  /** Set for a TLS connection. */
  tls?: { servername?: string; alpn?: string[] };
  signal: AbortSignal;
  mark: ProbeContext["mark"];
  now: () => Date;
}

export interface Connection {
  socket: Socket | TLSSocket;
  /** `address:port` actually connected to. */
  remote: string;
  certificate?: Certificate;
  /** Why the certificate does not verify (chain, host name, dates); undefined when it does. */
  untrusted?: string;
}

const DAY_MS = 86_400_000;

export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function openConnection(options: OpenOptions): Promise<Connection> {
  const { host, port, signal, mark } = options;
  const where = hostPort(host, port);
  // Node looks the name up itself and tries each address family in turn (happy eyeballs).
  const raw = netConnect({ host, port, noDelay: true });
  let address = host;
  raw.once("lookup", (error: Error | null, found: string) => {
    if (!error) mark("dns", { address: found });
  });
  raw.on("connectionAttempt", (attempted: string) => (address = attempted));
  // A socket error after a step finished must never go unheard: it would crash the run.
  let late: unknown;
  raw.on("error", (error) => (late = error));
  try {
    await once(raw, "connect", { signal });
    const remote = hostPort(address, port);
    mark("connect", { remote });
    if (!options.tls) return { socket: raw, remote };
    const servername = options.tls.servername ?? (isIP(host) ? undefined : host);
    const secure = tlsConnect({ socket: raw, host, servername, rejectUnauthorized: false, ALPNProtocols: options.tls.alpn });
    secure.on("error", (error) => (late = error));
    await once(secure, "secureConnect", { signal });
    mark("tls", { protocol: secure.getProtocol() ?? "unknown" });
    const peer = secure.getPeerCertificate();
    const certificate = peer?.valid_to ? { validTo: new Date(peer.valid_to).toISOString(), daysLeft: (Date.parse(peer.valid_to) - options.now().getTime()) / DAY_MS } : undefined;
    const code = secure.authorized ? undefined : String(secure.authorizationError ?? "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    const untrusted = code === undefined ? undefined : code === "CERT_HAS_EXPIRED" && certificate ? `the certificate of ${where} expired on ${certificate.validTo}` : describeFailure({ code }, where);
    return { socket: secure, remote, certificate, untrusted };
  } catch (error) {
    raw.destroy();
    throw new ProbeFailure(describeFailure(late ?? error, where, signal));
  }
}

/** A port from the configuration, which may be a `${env:…}` placeholder resolved to text. */
export function portOf(value: number | string): number | undefined {
  const port = typeof value === "number" ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

export type Attempted =
  | { error: string; failure?: undefined; connection?: undefined }
  | { connection: Connection; responseTimeMs: number; error?: undefined; failure?: undefined }
  | { failure: string; error?: undefined; connection?: undefined };

/**
 * Connects to a check's host and port once, timed, and closes again: the whole probe of the tcp and
 * tls types. `error` means the check itself is unusable (a port that is not a number).
 */
export async function connectOnce(target: { host: string; port: number | string }, context: ProbeContext, tls?: OpenOptions["tls"]): Promise<Attempted> {
  const port = portOf(target.port);
  if (port === undefined) return { error: "port must be a number from 1 to 65535 once its placeholder is filled in" };
  const started = performance.now();
  try {
    const connection = await openConnection({ host: target.host, port, tls, signal: context.signal, mark: context.mark, now: () => context.clock.now() });
    const responseTimeMs = performance.now() - started;
    connection.socket.destroy();
    context.mark("done");
    return { connection, responseTimeMs };
  } catch (error) {
    return { failure: describeFailure(error, hostPort(target.host, port), context.signal) };
  }
}
