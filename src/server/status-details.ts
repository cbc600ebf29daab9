// gRPC carries an error's text in the `grpc-message` trailer, percent-encoded with encodeURI. Node's HTTP/2 refuses
// a header block over 64 KiB, and grpc-js then ends the call without any status, so the client hears nothing (the
// CLI's import exited 0 in silence); encodeURI also throws on a lone surrogate. Every error text sent is therefore
// made well-formed and cut to a size that always fits.

/** The most percent-encoded characters of error text sent in one status. */
export const MAX_ENCODED_DETAILS = 32 * 1024;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function sendableDetails(text: string): string {
  const wellFormed = text.replace(LONE_SURROGATE, '\ufffd');
  if (encodeURI(wellFormed).length <= MAX_ENCODED_DETAILS) return wellFormed;
  const marker = (cut: number) => ` … (the message was cut here: ${wellFormed.length - cut} more characters)`;
  // Never cut between the two halves of a surrogate pair.
  const atCharacter = (cut: number) => (/[\ud800-\udbff]/.test(wellFormed.charAt(cut - 1)) ? cut - 1 : cut);
  let cut = atCharacter(Math.min(wellFormed.length, MAX_ENCODED_DETAILS));
  while (cut > 0 && encodeURI(wellFormed.slice(0, cut) + marker(cut)).length > MAX_ENCODED_DETAILS) cut = atCharacter(Math.floor(cut * 0.9));
  return wellFormed.slice(0, cut) + marker(cut);
}
