import { readFileSync } from 'node:fs';
import { ModelLoadError } from './errors';

export interface ClassMap {
  /** Display names in model output order. */
  names: string[];
  /** Index of a display name, or -1. */
  indexOf(name: string): number;
}

export const NUM_CLASSES = 521;
export const EMBEDDING_SIZE = 1024;

/** AudioSet laughter family: Laughter, Baby laughter, Giggle, Snicker, Belly laugh, Chuckle/chortle. */
export const LAUGHTER_CLASS_IDS: readonly number[] = Object.freeze([13, 14, 15, 16, 17, 18]);

/** What the class map must say at LAUGHTER_CLASS_IDS; a different map would silently mis-detect. */
const LAUGHTER_CLASS_NAMES = ['Laughter', 'Baby laughter', 'Giggle', 'Snicker', 'Belly laugh', 'Chuckle, chortle'];

/** Reads yamnet_class_map.csv (`index,mid,display_name`, names quoted when they contain commas). */
export function loadClassMap(csvPath: string): ClassMap {
  let text: string;
  try {
    text = readFileSync(csvPath, 'utf8');
  } catch (error) {
    throw new ModelLoadError('NOT_FOUND', `class map not readable: ${(error as Error).message}`, csvPath, { cause: error });
  }
  return parseClassMap(text, csvPath);
}

export function parseClassMap(text: string, source = 'class map'): ClassMap {
  const rows = parseCsv(text);
  const header = rows.shift();
  if (!header || header[0] !== 'index' || header[2] !== 'display_name') {
    throw new ModelLoadError('CLASS_MAP', 'class map must start with the header index,mid,display_name', source);
  }
  const names: string[] = [];
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue;
    if (row.length < 3 || Number(row[0]) !== names.length) {
      throw new ModelLoadError('CLASS_MAP', `class map row ${names.length + 1} is malformed: ${row.join(',')}`, source);
    }
    names.push(row[2]!);
  }
  const byName = new Map<string, number>();
  names.forEach((n, i) => {
    if (!byName.has(n)) byName.set(n, i);
  });
  return { names, indexOf: (name) => byName.get(name) ?? -1 };
}

/** Throws unless the map has `numClasses` names and the laughter ids name the laughter classes. */
export function checkClassMap(map: ClassMap, numClasses: number, source?: string): void {
  if (map.names.length !== numClasses) {
    throw new ModelLoadError('CLASS_MAP', `class map has ${map.names.length} classes, the model outputs ${numClasses}`, source);
  }
  LAUGHTER_CLASS_IDS.forEach((id, k) => {
    if (map.names[id] !== LAUGHTER_CLASS_NAMES[k]) {
      throw new ModelLoadError('CLASS_MAP', `class ${id} should be "${LAUGHTER_CLASS_NAMES[k]}" but the class map says "${map.names[id]}"`, source);
    }
  });
}

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
