import { alert } from "./alert.ts";
import { bench } from "./bench.ts";
import { build } from "./build.ts";
import { probe } from "./probe.ts";
import type { Command } from "./command.ts";
import { heartbeat } from "./heartbeat.ts";
import { incident } from "./incident.ts";
import { references } from "./references.ts";
import { validate } from "./validate.ts";
import { watchdog } from "./watchdog.ts";

/** Every CLI verb, in the order `--help` lists them. */
export const commands: Command[] = [validate, probe, heartbeat, incident, alert, build, watchdog, references, bench];
