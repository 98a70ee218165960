import { type ByteBuffer } from 'flatbuffers';

/**
 * A thin, typed view of one FlatBuffers table. The `flatbuffers` runtime only offers raw offset
 * arithmetic (generated code normally wraps it); this class is that wrapper for hand-written
 * readers, addressed by field id as declared in the .fbs schema (vtable slot = 4 + 2 * id).
 */
export class FlatTable {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  /** Offset of field `id` relative to the table, or 0 when the field is absent (default value). */
  private field(id: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * id);
  }

  has(id: number): boolean {
    return this.field(id) !== 0;
  }

  int8(id: number, fallback = 0): number {
    const o = this.field(id);
    return o ? this.bb.readInt8(this.pos + o) : fallback;
  }

  uint8(id: number, fallback = 0): number {
    const o = this.field(id);
    return o ? this.bb.readUint8(this.pos + o) : fallback;
  }

  bool(id: number, fallback = false): boolean {
    const o = this.field(id);
    return o ? this.bb.readUint8(this.pos + o) !== 0 : fallback;
  }

  int32(id: number, fallback = 0): number {
    const o = this.field(id);
    return o ? this.bb.readInt32(this.pos + o) : fallback;
  }

  uint32(id: number, fallback = 0): number {
    const o = this.field(id);
    return o ? this.bb.readUint32(this.pos + o) : fallback;
  }

  uint64(id: number, fallback = 0n): bigint {
    const o = this.field(id);
    return o ? this.bb.readUint64(this.pos + o) : fallback;
  }

  float32(id: number, fallback = 0): number {
    const o = this.field(id);
    return o ? this.bb.readFloat32(this.pos + o) : fallback;
  }

  string(id: number): string | undefined {
    const o = this.field(id);
    return o ? (this.bb.__string(this.pos + o) as string) : undefined;
  }

  table(id: number): FlatTable | undefined {
    const o = this.field(id);
    return o ? new FlatTable(this.bb, this.bb.__indirect(this.pos + o)) : undefined;
  }

  tables(id: number): FlatTable[] {
    const o = this.field(id);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const length = this.bb.__vector_len(this.pos + o);
    const out: FlatTable[] = new Array<FlatTable>(length);
    for (let i = 0; i < length; i++) out[i] = new FlatTable(this.bb, this.bb.__indirect(start + 4 * i));
    return out;
  }

  int32s(id: number): number[] {
    return this.scalars(id, 4, (at) => this.bb.readInt32(at));
  }

  float32s(id: number): number[] {
    return this.scalars(id, 4, (at) => this.bb.readFloat32(at));
  }

  /** int64 vectors (zero points) are small; Number is exact for any realistic zero point. */
  int64s(id: number): number[] {
    return this.scalars(id, 8, (at) => Number(this.bb.readInt64(at)));
  }

  /** A view (not a copy) of a [ubyte] vector, e.g. a weight buffer. */
  bytes(id: number): Uint8Array | undefined {
    const o = this.field(id);
    if (!o) return undefined;
    const start = this.bb.__vector(this.pos + o);
    const length = this.bb.__vector_len(this.pos + o);
    const all = this.bb.bytes();
    if (start + length > all.length) throw new RangeError(`vector runs past the end of the buffer`);
    return all.subarray(start, start + length);
  }

  private scalars(id: number, width: number, read: (at: number) => number): number[] {
    const o = this.field(id);
    if (!o) return [];
    const start = this.bb.__vector(this.pos + o);
    const length = this.bb.__vector_len(this.pos + o);
    if (start + length * width > this.bb.capacity()) throw new RangeError(`vector runs past the end of the buffer`);
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = read(start + i * width);
    return out;
  }
}
