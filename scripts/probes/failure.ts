/**
 * Turns what went wrong into one clear sentence for the sample's `error`: Node's error codes become
 * words, and an aborted wait says whether the attempt's timeout or the run's budget ended it.
 */

/** A failure the probe has already put into words. */
export class ProbeFailure extends Error {
  override name = "ProbeFailure";
}

const CODES: Record<string, (where: string) => string> = {
  ECONNREFUSED: (where) => `connection refused by ${where}`,
  ECONNRESET: (where) => `the connection to ${where} was reset`,
  EPIPE: (where) => `the connection to ${where} was closed while sending`,
  ENOTFOUND: (where) => `the host name of ${where} does not resolve`,
  EAI_AGAIN: (where) => `looking up the host name of ${where} failed for now (DNS)`,
  EHOSTUNREACH: (where) => `${where} is unreachable (no route to host)`,
  ENETUNREACH: (where) => `${where} is unreachable (network unreachable)`,
  ETIMEDOUT: (where) => `connecting to ${where} timed out`,
  EADDRNOTAVAIL: (where) => `${where} is not an address this machine can reach`,
  UND_ERR_SOCKET: (where) => `the connection to ${where} closed before the response was complete`,
  UND_ERR_HEADERS_OVERFLOW: (where) => `${where} sent response headers that are too large`,
  HPE_INVALID_CONSTANT: (where) => `${where} did not answer with HTTP`,
  HPE_INVALID_STATUS: (where) => `${where} answered with an invalid HTTP status line`,
  DEPTH_ZERO_SELF_SIGNED_CERT: (where) => `the certificate of ${where} is self-signed and not trusted`,
  SELF_SIGNED_CERT_IN_CHAIN: (where) => `the certificate chain of ${where} ends in a self-signed certificate that is not trusted`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: (where) => `the certificate of ${where} is signed by an issuer that is not trusted`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: (where) => `the certificate of ${where} is signed by an issuer that is not trusted`,
  CERT_HAS_EXPIRED: (where) => `the certificate of ${where} has expired`,
  CERT_NOT_YET_VALID: (where) => `the certificate of ${where} is not valid yet`,
  ERR_TLS_CERT_ALTNAME_INVALID: (where) => `the certificate of ${where} is not valid for that host name`,
  ERR_SSL_WRONG_VERSION_NUMBER: (where) => `${where} did not answer with TLS`,
};

/** The sentence for an error (or an aborted wait) while talking to `where` (host:port or a URL's origin). */
export function describeFailure(error: unknown, where: string, signal?: AbortSignal): string {
  if (signal?.aborted) return reasonOf(signal);
  if (error instanceof ProbeFailure) return error.message;
  const code = codeOf(error);
  const known = code ? CODES[code] : undefined;
  if (known) return known(where);
  const message = error instanceof Error ? error.message : String(error);
  const labels = code && !message.includes(code) ? [code, where] : [where];
  return `${message || "unknown failure"} (${labels.join(", ")})`;
}

/** Why the signal ended the wait, e.g. "no answer within 10s". */
export function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : "the attempt was stopped";
}

/** The code of a Node error, or of the error that caused it (undici wraps socket errors). */
export function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    const next = (current as { cause?: unknown }).cause;
    if (!next) return typeof code === "string" ? code : undefined;
    current = next;
  }
  return undefined;
}

/** Rejects with a ProbeFailure when the signal aborts first; the abandoned work is left to `cleanup`. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, cleanup?: () => void): Promise<T> {
  if (signal.aborted) {
    cleanup?.();
    // The abandoned work may still fail later; that failure is already answered by this one.
    work.catch(() => undefined);
    return Promise.reject(new ProbeFailure(reasonOf(signal)));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      cleanup?.();
      reject(new ProbeFailure(reasonOf(signal)));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
