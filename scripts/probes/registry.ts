import { dns } from "./dns.ts";
import { heartbeat } from "./heartbeat.ts";
import { http } from "./http.ts";
import { json } from "./json.ts";
import { postgres } from "./postgres.ts";
import { statuspage } from "./statuspage.ts";
import { tcp } from "./tcp.ts";
import { tls } from "./tls.ts";

/** Every check type; adding one is one file and one line here. */
export const checkTypes = [http, json, tcp, tls, dns, postgres, statuspage, heartbeat] as const;
