/**
 * A text as the readers of its encodings would read it: HTML character references, JSON escapes and percent
 * escapes (twice, for double encoding) decoded, in that order, as they nest when JSON is shown in HTML and a
 * URL is written into JSON. Every decoded character remembers the span of the original text it came from,
 * so a match found in the decoded text can be replaced in the original.
 */

/** One decoded character and the span [start, end) of the original text that encodes it. */
interface Piece {
  text: string;
  start: number;
  end: number;
}

export interface DecodedText {
  /** The decoded text, compared as `comparable` makes it. */
  exact: string;
  /** The same, every letter lower-cased. */
  folded: string;
  /** For each UTF-16 offset of `exact` and `folded`, the span of the original it comes from. */
  spanAt(offset: number): { start: number; end: number };
}

const NAMED: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">", apos: "'" };
const JSON_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const HEX = /^[0-9a-f]+$/i;

/**
 * What a character is compared as: a `+` reads as the space a query writes it for, and a backslash as the
 * slash URL parsers turn it into. Applied to the text and to the secret alike.
 */
export function comparable(text: string): string {
  return text.replace(/\+/g, " ").replace(/\\/g, "/");
}

export function decodeText(text: string): DecodedText {
  // Most text has nothing to decode: it is its own decoding, offset for offset.
  if (!/[%\\&]/.test(text)) {
    const exact = comparable(text);
    const folded = exact.toLowerCase();
    if (folded.length === exact.length) return { exact, folded, spanAt: (offset) => ({ start: offset, end: offset + 1 }) };
  }
  const written: Piece[] = [];
  let offset = 0;
  for (const character of text) {
    written.push({ text: character, start: offset, end: offset + character.length });
    offset += character.length;
  }
  const exact: string[] = [];
  const folded: string[] = [];
  const spans: Piece[] = [];
  for (const piece of percent(percent(json(html(written))))) {
    const same = comparable(piece.text);
    const lower = same.toLowerCase();
    exact.push(same);
    folded.push(lower.length === same.length ? lower : same);
    for (let unit = 0; unit < same.length; unit++) spans.push(piece);
  }
  return { exact: exact.join(""), folded: folded.join(""), spanAt: (at) => spans[at]! };
}

/** `&quot;`, `&#39;`, `&#x27;`… as the characters they stand for. */
function html(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index]!;
    if (piece.text === "&") {
      let name = "";
      let close = -1;
      for (let ahead = index + 1; ahead < pieces.length && ahead <= index + 12; ahead++) {
        if (pieces[ahead]!.text === ";") {
          close = ahead;
          break;
        }
        name += pieces[ahead]!.text;
      }
      const character = close < 0 ? undefined : reference(name);
      if (character !== undefined) {
        out.push({ text: character, start: piece.start, end: pieces[close]!.end });
        index = close;
        continue;
      }
    }
    out.push(piece);
  }
  return out;
}

function reference(name: string): string | undefined {
  const numeric = /^#(?:x([0-9a-f]+)|(\d+))$/i.exec(name);
  if (numeric) {
    const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return NAMED[name.toLowerCase()];
}

/** `\"`, `\\`, `\/`, `\n`… and `\u0027` (surrogate pairs joined) as the characters they stand for. */
function json(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index]!;
    const next = pieces[index + 1];
    if (piece.text === "\\" && next) {
      if (JSON_ESCAPES[next.text] !== undefined) {
        out.push({ text: JSON_ESCAPES[next.text]!, start: piece.start, end: next.end });
        index += 1;
        continue;
      }
      const unit = next.text === "u" ? hexAt(pieces, index + 2, 4) : undefined;
      if (unit !== undefined) {
        const low = unit >= 0xd800 && unit <= 0xdbff && pieces[index + 6]?.text === "\\" && pieces[index + 7]?.text === "u" ? hexAt(pieces, index + 8, 4) : undefined;
        if (low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
          out.push({ text: String.fromCharCode(unit, low), start: piece.start, end: pieces[index + 11]!.end });
          index += 11;
        } else {
          out.push({ text: String.fromCharCode(unit), start: piece.start, end: pieces[index + 5]!.end });
          index += 5;
        }
        continue;
      }
    }
    out.push(piece);
  }
  return out;
}

/** Runs of `%XX` as the UTF-8 text they encode; a byte that is not valid UTF-8 stays as written. */
function percent(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let index = 0; index < pieces.length; ) {
    const bytes: { value: number; piece: Piece }[] = [];
    while (pieces[index]?.text === "%") {
      const value = hexAt(pieces, index + 1, 2);
      if (value === undefined) break;
      bytes.push({ value, piece: { text: "", start: pieces[index]!.start, end: pieces[index + 2]!.end } });
      index += 3;
    }
    if (bytes.length === 0) {
      out.push(pieces[index]!);
      index += 1;
      continue;
    }
    for (let at = 0; at < bytes.length; ) {
      const lead = bytes[at]!.value;
      const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
      const run = bytes.slice(at, at + length);
      const valid = length > 0 && run.length === length && run.slice(1).every((byte) => byte.value >= 0x80 && byte.value < 0xc0);
      if (valid) {
        out.push({ text: Buffer.from(run.map((byte) => byte.value)).toString("utf8"), start: run[0]!.piece.start, end: run[length - 1]!.piece.end });
        at += length;
      } else {
        out.push({ text: String.fromCharCode(lead), start: bytes[at]!.piece.start, end: bytes[at]!.piece.end });
        at += 1;
      }
    }
  }
  return out;
}

/** The number written by `width` hex digits starting at `index`, or undefined. */
function hexAt(pieces: Piece[], index: number, width: number): number | undefined {
  let digits = "";
  for (let at = index; at < index + width; at++) digits += pieces[at]?.text ?? "";
  return digits.length === width && HEX.test(digits) ? Number.parseInt(digits, 16) : undefined;
}
