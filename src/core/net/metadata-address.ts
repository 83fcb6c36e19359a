/**
 * Addresses that answer for the machine's cloud, not for a collector: the link-local ranges
 * (169.254.0.0/16, where every cloud's instance metadata service listens, and fe80::/10) and the
 * metadata services' own names and addresses. A spine that names one as the telemetry endpoint
 * would have every developer machine post its audit records — and its credentials' neighbour —
 * to the metadata service. Pure and import-free: the hook bundles it as it is.
 */
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Metadata services outside the link-local ranges: AWS's IPv6 one, Alibaba Cloud's. */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254', '100.100.100.200']);

/** The host of `url` when it is a link-local or metadata address, else undefined. */
export function metadataHost(url: string): string | undefined {
  let host: string;
  try {
    // The URL parser writes 2852039166, 0xa9fea9fe and 0251.0376.0251.0376 as 169.254.169.254.
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return isMetadataAddress(host) ? host : undefined;
}

/** A host name or address (IPv6 with or without brackets) that must not receive records. */
export function isMetadataAddress(host: string): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (METADATA_NAMES.has(h) || METADATA_ADDRESSES.has(h)) return true;
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  // fe80::/10: the first 10 bits are 1111111010, so the first group is fe80 to febf.
  if (/^fe[89ab][0-9a-f]?:/.test(h)) return true;
  // IPv4-mapped IPv6, as written (::ffff:169.254.1.1) or as the URL parser writes it (::ffff:a9fe:101).
  const mapped = /^::ffff:(.+)$/.exec(h)?.[1];
  if (mapped) return /^169\.254\./.test(mapped) || /^a9fe:/.test(mapped);
  return false;
}
