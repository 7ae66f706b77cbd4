/** A small static file server for `npm start`: serves a built site like GitHub Pages would, on loopback. */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".rss": "application/rss+xml; charset=utf-8",
  ".atom": "application/atom+xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
};

export interface StaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves `dir` under `basePath` on 127.0.0.1 (`port` 0 picks a free one); folders serve index.html, an
 * unknown path the site's own 404.html with status 404 (as GitHub Pages does), and JSON carries
 * `Access-Control-Allow-Origin: *` so widgets on other pages can read the status API.
 */
export async function serveStatic(dir: string, basePath = "/", port = 0): Promise<StaticServer> {
  const base = basePath.endsWith("/") ? basePath : `${basePath}/`;
  const server = createServer(async (request, response) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    } catch {
      response.writeHead(400).end("bad request");
      return;
    }
    if (`${path}/` === base) {
      response.writeHead(301, { location: base }).end();
      return;
    }
    const notFound = async () => {
      const page = join(dir, "404.html");
      const exists = await stat(page).then((found) => found.isFile(), () => false);
      if (!exists) return void response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      response.writeHead(404, { "content-type": TYPES[".html"] });
      createReadStream(page).pipe(response);
    };
    if (!path.startsWith(base)) return notFound();
    let file = join(dir, normalize(`/${path.slice(base.length)}`));
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      await stat(file);
    } catch {
      return notFound();
    }
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    response.writeHead(200, { "content-type": type, ...(extname(file) === ".json" ? { "access-control-allow-origin": "*" } : {}) });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}${base}`,
    server,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
