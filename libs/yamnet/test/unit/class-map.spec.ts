import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkClassMap, LAUGHTER_CLASS_IDS, loadClassMap, ModelLoadError, NUM_CLASSES, parseClassMap } from '../../src';
import { parseCsv } from '../../src/class-map';
import { realModelPath } from '../support/model';

describe('class map', () => {
  it('parses quoted names with commas, doubled quotes and CRLF', () => {
    expect(parseCsv('a,"b, c",d\r\n1,"say ""hi""",3\n')).toEqual([
      ['a', 'b, c', 'd'],
      ['1', 'say "hi"', '3'],
    ]);
  });

  it('loads the real yamnet_class_map.csv with its laughter classes', () => {
    const map = loadClassMap(join(realModelPath(), '..', 'yamnet_class_map.csv'));
    expect(map.names).toHaveLength(NUM_CLASSES);
    expect(map.names[1]).toBe('Child speech, kid speaking');
    expect(map.names[18]).toBe('Chuckle, chortle');
    expect(map.indexOf('Beep, bleep')).toBe(475);
    expect(map.indexOf('No such class')).toBe(-1);
    expect(() => checkClassMap(map, NUM_CLASSES)).not.toThrow();
    expect(LAUGHTER_CLASS_IDS).toEqual([13, 14, 15, 16, 17, 18]);
  });

  it('rejects a class map whose laughter ids name other classes', () => {
    const rows = Array.from({ length: NUM_CLASSES }, (_, i) => `${i},/m/x${i},Class ${i}`);
    const map = parseClassMap(`index,mid,display_name\n${rows.join('\n')}\n`);
    expect(() => checkClassMap(map, NUM_CLASSES)).toThrow(/class 13 should be "Laughter" but the class map says "Class 13"/);
  });

  it('rejects a class map of the wrong size, a bad header and out-of-order rows', () => {
    const map = parseClassMap('index,mid,display_name\n0,/m/09x0r,Speech\n');
    expect(() => checkClassMap(map, NUM_CLASSES)).toThrow(/1 classes, the model outputs 521/);
    expect(() => parseClassMap('name\nSpeech\n')).toThrow(ModelLoadError);
    expect(() => parseClassMap('index,mid,display_name\n1,/m/x,Speech\n')).toThrow(/row 1 is malformed/);
    expect(() => loadClassMap('/nonexistent/yamnet_class_map.csv')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
