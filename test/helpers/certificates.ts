import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { tempDir } from "./workspace.ts";

const run = promisify(execFile);
const DAY = 86_400_000;

export interface Certificate {
  key: string;
  cert: string;
}

/** openssl's ca-style time, e.g. 20260101000000Z. */
const stamp = (at: Date) => at.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z";

const CONFIG = `[ca]
default_ca = local
[local]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[req]
distinguished_name = dn
prompt = no
[dn]
CN = localhost
`;

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1, valid between the given days relative to
 * now (negative: in the past), made by the openssl CLI so that expired ones are really expired.
 */
export async function selfSigned(fromDays: number, toDays: number): Promise<Certificate> {
  const dir = await tempDir("signalroom-cert-");
  const now = Date.now();
  await writeFile(join(dir, "ca.cnf"), CONFIG);
  await writeFile(join(dir, "index.txt"), "");
  await writeFile(join(dir, "serial"), "01\n");
  const opts = { cwd: dir };
  await run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "req.csr", "-config", "ca.cnf", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"], opts);
  await run("openssl", ["ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "key.pem", "-in", "req.csr", "-out", "cert.pem", "-notext", "-startdate", stamp(new Date(now + fromDays * DAY)), "-enddate", stamp(new Date(now + toDays * DAY))], opts);
  return { key: await readFile(join(dir, "key.pem"), "utf8"), cert: await readFile(join(dir, "cert.pem"), "utf8") };
}
