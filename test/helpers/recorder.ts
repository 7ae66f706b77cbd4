import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Hold the answer this long (a slow channel). */
  delayMs?: number;
}

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  /** The next `count` requests get this reply instead of the default (202 with an empty JSON body). */
  replyNext(count: number, reply: Reply): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers as told: the stand-in for a channel's API. */
export async function startRecorder(host = "127.0.0.1"): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const queued: Reply[] = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    requests.push({ method: request.method ?? "GET", path: request.url ?? "/", headers: request.headers, body, json: () => JSON.parse(body) });
    const reply = queued.shift() ?? {};
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed) return;
    response.writeHead(reply.status ?? 202, { "content-type": "application/json", ...reply.headers }).end(reply.body ?? "{}");
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    requests,
    replyNext(count, reply) {
      for (let i = 0; i < count; i++) queued.push(reply);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
