/** The public site's only data source: the public view, never the workspace itself. */
import { toPublicView, type PublicView } from "../../scripts/core/public-view.ts";
import { siteData } from "../shared/load.ts";

export async function publicView(): Promise<PublicView> {
  const { workspace, state, now } = await siteData();
  return toPublicView(workspace, state, now);
}
