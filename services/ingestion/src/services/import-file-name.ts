import { IMPORT_FILE_NAME_MAX } from '@giggles/contracts';

/**
 * The name an import is listed under: the last path segment of what the client sent, without
 * control or bidirectional-override characters, cut to IMPORT_FILE_NAME_MAX. It is only shown and
 * read for a time (placement); it never becomes a path on this machine.
 */
export function displayFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
   
  const clean = last.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const cut = Array.from(clean).slice(0, IMPORT_FILE_NAME_MAX).join('');
  return cut.length > 0 ? cut : 'recording';
}
