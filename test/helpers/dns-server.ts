import { createSocket } from "node:dgram";
import packet, { type Answer } from "dns-packet";
import { afterEach } from "vitest";
import type { Loopback } from "./servers.ts";

const RCODES = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface Zone {
  /** Answers by name, any record type (e.g. { type: "A", data: "127.0.0.2" }). */
  records: Record<string, Answer[]>;
  /** Names answered with this response code instead. */
  rcodes?: Record<string, keyof typeof RCODES>;
  /** Names never answered at all. */
  silent?: string[];
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

/**
 * A small authoritative DNS server over UDP on loopback, built on dns-packet: names not in the zone are
 * NXDOMAIN, known names without records of the asked type are NOERROR with no answers.
 */
export async function serveDns(zone: Zone, host: Loopback = "127.0.0.1"): Promise<{ resolver: string; queries: string[] }> {
  const socket = createSocket(host === "::1" ? "udp6" : "udp4");
  const queries: string[] = [];
  socket.on("message", (message, remote) => {
    const query = packet.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    queries.push(`${question.name} ${question.type}`);
    if (zone.silent?.includes(question.name)) return;
    const known = zone.records[question.name];
    const rcode = zone.rcodes?.[question.name] ?? (known ? "NOERROR" : "NXDOMAIN");
    const answers = rcode === "NOERROR" ? (known ?? []).filter((answer) => answer.type === question.type).map((answer) => ({ ttl: 60, class: "IN", ...answer, name: question.name })) : [];
    const response = packet.encode({
      id: query.id,
      type: "response",
      flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED | RCODES[rcode],
      questions: [question],
      answers: answers as Answer[],
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  open.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  const { port } = socket.address();
  return { resolver: host === "::1" ? `[::1]:${port}` : `${host}:${port}`, queries };
}
