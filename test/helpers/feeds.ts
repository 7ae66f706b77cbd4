/**
 * Feeds read the way readers read them, and checked against the W3C feed validator's rules.
 *
 * - parseFeed: feedparser, the streaming parser many feed readers and aggregators are built on.
 * - feedProblems: the validator's checks that matter for a status feed, named after its messages
 *   (MissingAuthor, InvalidRFC3339Date, SecurityRisk…), on the parsed XML: required elements, absolute
 *   ids and links, date formats, nothing dated in the future, unique ids, self links, and HTML fields
 *   with nothing a reader could run (script, event handlers, javascript: links) and no relative links.
 */
import { Readable } from "node:stream";
import FeedParser from "feedparser";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { Parser } from "htmlparser2";

export interface ParsedFeed {
  meta: FeedParser.Meta;
  items: FeedParser.Item[];
}

export function parseFeed(xml: string): Promise<ParsedFeed> {
  return new Promise((resolve, reject) => {
    const parser = new FeedParser({ addmeta: false });
    const items: FeedParser.Item[] = [];
    let meta: FeedParser.Meta | undefined;
    parser.on("error", reject);
    parser.on("meta", (found: FeedParser.Meta) => (meta = found));
    parser.on("readable", () => {
      for (let item = parser.read(); item; item = parser.read()) items.push(item);
    });
    parser.on("end", () => resolve({ meta: meta!, items }));
    Readable.from([xml]).pipe(parser);
  });
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", textNodeName: "#text", cdataPropName: false, parseTagValue: false, trimValues: false, isArray: (name) => ["entry", "item", "link", "author"].includes(name) });

type Node = Record<string, unknown>;
const text = (node: unknown): string | undefined => (typeof node === "string" ? node : node && typeof node === "object" ? ((node as Node)["#text"] as string | undefined) : undefined);
const attr = (node: unknown, name: string) => (node && typeof node === "object" ? ((node as Node)[`@${name}`] as string | undefined) : undefined);

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d (GMT|UT|[+-]\d{4})$/;
const DANGEROUS_ELEMENTS = new Set(["script", "iframe", "object", "embed", "style", "form", "meta", "link", "base", "svg", "math"]);

/** What an HTML reader would find in `html`: elements and attributes that run code, and relative links. */
function htmlFindings(html: string): { risks: string[]; relative: string[] } {
  const risks: string[] = [];
  const relative: string[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (DANGEROUS_ELEMENTS.has(name)) risks.push(`<${name}>`);
      for (const [key, value] of Object.entries(attributes)) {
        if (key.startsWith("on")) risks.push(`${name}[${key}]`);
        if (["href", "src", "action", "formaction"].includes(key)) {
          const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
          if (scheme && !["http", "https", "mailto"].includes(scheme)) risks.push(`${name}[${key}=${scheme}:]`);
          if (!scheme && !value.startsWith("#")) relative.push(`${name}[${key}=${value}]`);
        }
      }
    },
  });
  parser.write(html);
  parser.end();
  return { risks, relative };
}

function absolute(value: string | undefined): boolean {
  try {
    return value !== undefined && /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The W3C feed validator's rules that apply to our feeds; each problem names the rule. */
export function feedProblems(source: string, now: Date): string[] {
  const problems: string[] = [];
  const valid = XMLValidator.validate(source);
  if (valid !== true) return [`NotWellFormed: ${valid.err.msg}`];
  const doc = xml.parse(source) as Node;
  const date = (where: string, value: string | undefined, format: RegExp, rule: string) => {
    if (!value) return problems.push(`MissingElement: ${where}`);
    if (!format.test(value)) problems.push(`${rule}: ${where} = ${value}`);
    else if (Date.parse(value) > now.getTime()) problems.push(`ImplausibleDate (in the future): ${where} = ${value}`);
  };
  const html = (where: string, value: string | undefined) => {
    if (value === undefined) return;
    const { risks, relative } = htmlFindings(value);
    if (risks.length > 0) problems.push(`SecurityRisk: ${where} ${risks.join(" ")}`);
    if (relative.length > 0) problems.push(`ContainsRelRef: ${where} ${relative.join(" ")}`);
  };
  const noMarkup = (where: string, value: string | undefined) => {
    if (value !== undefined && /<[a-z!/]/i.test(value)) problems.push(`ContainsHTML (should be escaped text): ${where}`);
  };

  if (doc.feed) {
    const feed = doc.feed as Node;
    const entries = (feed.entry as Node[] | undefined) ?? [];
    for (const name of ["id", "title", "updated"]) if (feed[name] === undefined) problems.push(`MissingElement: feed/${name}`);
    if (!absolute(text(feed.id))) problems.push(`InvalidFullLink: feed/id = ${text(feed.id)}`);
    date("feed/updated", text(feed.updated), RFC3339, "InvalidRFC3339Date");
    const links = (feed.link as Node[] | undefined) ?? [];
    if (!links.some((link) => attr(link, "rel") === "self")) problems.push("MissingSelf: feed/link[@rel=self]");
    for (const link of links) if (!absolute(attr(link, "href"))) problems.push(`InvalidFullLink: feed/link ${attr(link, "href")}`);
    const feedAuthor = ((feed.author as Node[] | undefined) ?? []).some((author) => text(author.name));
    const ids = new Set<string>();
    entries.forEach((entry, index) => {
      const where = `entry[${index}]`;
      for (const name of ["id", "title", "updated"]) if (entry[name] === undefined) problems.push(`MissingElement: ${where}/${name}`);
      const id = text(entry.id);
      if (!absolute(id)) problems.push(`InvalidFullLink: ${where}/id = ${id}`);
      if (id && ids.has(id)) problems.push(`DuplicateEntries: ${id}`);
      if (id) ids.add(id);
      date(`${where}/updated`, text(entry.updated), RFC3339, "InvalidRFC3339Date");
      if (entry.published !== undefined) date(`${where}/published`, text(entry.published), RFC3339, "InvalidRFC3339Date");
      if (!feedAuthor && !((entry.author as Node[] | undefined) ?? []).some((author) => text(author.name))) problems.push(`MissingAuthor: ${where} (RFC 4287 §4.1.1: the feed or every entry needs one)`);
      for (const link of (entry.link as Node[] | undefined) ?? []) if (!absolute(attr(link, "href"))) problems.push(`InvalidFullLink: ${where}/link ${attr(link, "href")}`);
      for (const name of ["title", "summary", "content"]) {
        const node = entry[name];
        if (node === undefined) continue;
        const type = attr(node, "type") ?? "text";
        if (!["text", "html", "xhtml"].includes(type)) problems.push(`InvalidTextType: ${where}/${name} type=${type}`);
        if (type === "html") html(`${where}/${name}`, text(node));
        else noMarkup(`${where}/${name}`, text(node));
      }
    });
    return problems;
  }

  const channel = (doc.rss as Node | undefined)?.channel as Node | undefined;
  if (!channel) return ["UnknownFormat: neither an Atom feed nor an RSS 2.0 channel"];
  for (const name of ["title", "link", "description"]) if (channel[name] === undefined) problems.push(`MissingElement: channel/${name}`);
  const channelLink = ((channel.link as unknown[] | undefined) ?? []).map(text)[0];
  if (!absolute(channelLink)) problems.push(`InvalidURLAttribute: channel/link = ${channelLink}`);
  if (channel.lastBuildDate !== undefined) date("channel/lastBuildDate", text(channel.lastBuildDate), RFC822, "InvalidRFC2822Date");
  if (!((channel["atom:link"] as Node[] | Node | undefined) && [channel["atom:link"]].flat().some((link) => attr(link, "rel") === "self"))) problems.push("MissingAtomSelfLink: channel/atom:link[@rel=self]");
  noMarkup("channel/title", text(channel.title));
  const guids = new Set<string>();
  ((channel.item as Node[] | undefined) ?? []).forEach((item, index) => {
    const where = `item[${index}]`;
    if (item.title === undefined && item.description === undefined) problems.push(`ItemMustContainTitleOrDescription: ${where}`);
    const link = ((item.link as unknown[] | undefined) ?? []).map(text)[0];
    if (link !== undefined && !absolute(link)) problems.push(`InvalidURLAttribute: ${where}/link = ${link}`);
    const guid = item.guid;
    if (guid !== undefined) {
      const value = text(guid)!;
      if ((attr(guid, "isPermaLink") ?? "true") === "true" && !absolute(value)) problems.push(`InvalidPermalink: ${where}/guid = ${value}`);
      if (guids.has(value)) problems.push(`DuplicateItem: ${value}`);
      guids.add(value);
    }
    if (item.pubDate !== undefined) date(`${where}/pubDate`, text(item.pubDate), RFC822, "InvalidRFC2822Date");
    for (const author of (item.author as unknown[] | undefined) ?? []) if (!/^[^@\s]+@[^@\s]+ /.test(text(author) ?? "")) problems.push(`InvalidContact: ${where}/author must be an e-mail address`);
    noMarkup(`${where}/title`, text(item.title));
    html(`${where}/description`, text(item.description));
    html(`${where}/content:encoded`, text(item["content:encoded"]));
  });
  return problems;
}
