import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, rm, writeFile } from "node:fs/promises";
import { userInfo, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { closedPort } from "./servers.ts";

const run = promisify(execFile);
export const PG_BIN = process.env.SIGNALROOM_PG_BIN ?? "/usr/lib/postgresql/15/bin";
export const havePostgres = existsSync(join(PG_BIN, "initdb")) && existsSync(join(PG_BIN, "pg_ctl"));

export interface Cluster {
  port: number;
  user: string;
  password: string;
  url(host?: string, password?: string): string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 and ::1 with password
 * authentication. PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user.
 */
export async function startCluster(): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), "signalroom-pg-"));
  const asRoot = userInfo().uid === 0;
  const as = (command: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args));
  const user = "probe";
  const password = "pg-secret-Password-42";
  await writeFile(join(dir, "pw"), password);
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout), Number(gid));
    await chown(join(dir, "pw"), Number(stdout), Number(gid));
  }
  await as(join(PG_BIN, "initdb"), ["-D", join(dir, "data"), "-U", user, "--auth=scram-sha-256", `--pwfile=${join(dir, "pw")}`, "--no-sync"]);
  const port = await closedPort();
  await as(join(PG_BIN, "pg_ctl"), ["-D", join(dir, "data"), "-w", "-l", join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1,::1 -c fsync=off`, "start"]);
  return {
    port,
    user,
    password,
    url: (host = "127.0.0.1", secret = password) => `postgres://${user}:${encodeURIComponent(secret)}@${host.includes(":") ? `[${host}]` : host}:${port}/postgres`,
    async stop() {
      await as(join(PG_BIN, "pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "stop"]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
