import { buildRoom } from "../../scripts/core/room.ts";
import { siteData } from "../shared/load.ts";

export async function room() {
  const { workspace, state, samples, now } = await siteData();
  return { room: buildRoom(workspace, state, samples, now), workspace, now };
}
