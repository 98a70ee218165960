import { describe, expect, it } from 'vitest';
import { LIB_NAME } from '@giggles/detection';
describe('smoke', () => { it('resolves workspace source', () => { expect(LIB_NAME).toBe('detection'); }); });
