/** Everything the room's screens are computed from, read once per build by site/internal/data.ts. */
import type { CheckBase, Model } from "../../../scripts/core/model.ts";
import type { LogEntry, Sample, StateFile } from "../../../scripts/core/schema/records.ts";
import type { CheckRollups } from "../../../scripts/store/rollups.ts";

export interface RoomData<C extends CheckBase = CheckBase> {
  model: Model<C>;
  state: StateFile;
  /** Raw samples of the last 7 days (at least the signal window), oldest first. */
  samples: readonly Sample[];
  /** Hourly and daily rollups by check id. */
  rollups: Readonly<Record<string, CheckRollups>>;
  /** Run-log entries of the retained window, oldest first. */
  log: readonly LogEntry[];
  now: Date;
}

/** Turns a path inside the room (e.g. `providers/resend/`) into a link that honours the base path. */
export type Href = (path: string) => string;
