import { alert } from "./alert.ts";
import { bench } from "./bench.ts";
import { build } from "./build.ts";
import { plan } from "./plan.ts";
import { probe } from "./probe.ts";
import type { Command } from "./command.ts";
import { demo } from "./demo.ts";
import { heartbeat } from "./heartbeat.ts";
import { incident } from "./incident.ts";
import { issues } from "./issues.ts";
import { references } from "./references.ts";
import { room } from "./room.ts";
import { start } from "./start.ts";
import { validate } from "./validate.ts";
import { watchdog } from "./watchdog.ts";

/** Every CLI verb, in the order `--help` lists them. */
export const commands: Command[] = [start, demo, validate, probe, heartbeat, incident, issues, alert, build, room, watchdog, plan, references, bench];
