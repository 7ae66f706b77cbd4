import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterEach } from "vitest";
import type { Certificate } from "./certificates.ts";

/** Only loopback, as the workplace requires. */
export type Loopback = "127.0.0.1" | "::1";

export interface Served {
  host: Loopback;
  port: number;
  /** Origin such as http://127.0.0.1:40123 or https://[::1]:40123. */
  url: string;
  /** Requests seen, oldest first. */
  requests: { method: string; url: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

function tracked(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  let closed = false;
  const close = () => {
    if (closed) return Promise.resolve();
    closed = true;
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  open.push(close);
  return close;
}

async function listen(server: Server, host: Loopback): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

const origin = (scheme: string, host: Loopback, port: number) => `${scheme}://${host === "::1" ? "[::1]" : host}:${port}`;

export type Handler = (request: IncomingMessage, response: ServerResponse) => unknown;

/** A real HTTP (or, with a certificate, HTTPS) server on loopback, closed after the test. */
export async function serveHttp(handler: Handler, options: { host?: Loopback; tls?: Certificate } = {}): Promise<Served> {
  const host = options.host ?? "127.0.0.1";
  const requests: Served["requests"] = [];
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    requests.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers });
    // A client that hangs up early (a size cap, a timeout) is normal here.
    response.on("error", () => undefined);
    void handler(request, response);
  };
  const server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  const close = tracked(server);
  const port = await listen(server, host);
  return { host, port, url: origin(options.tls ? "https" : "http", host, port), requests, close };
}

/** A TCP server that accepts connections and never says a word, until told to hang up. */
export async function serveSilence(host: Loopback = "127.0.0.1"): Promise<{ host: Loopback; port: number; url: string; accepted: () => number; hangUp: () => void }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
  });
  tracked(server);
  const port = await listen(server, host);
  return { host, port, url: origin("http", host, port), accepted: () => sockets.length, hangUp: () => sockets.forEach((socket) => socket.destroy()) };
}

/** A port nothing listens on: bound once to learn a free number, then released. */
export async function closedPort(host: Loopback = "127.0.0.1"): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server, host);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
