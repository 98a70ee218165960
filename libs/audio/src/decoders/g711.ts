/** ITU-T G.711 expansion tables (telephone-style WAVs), scaled to [-1, 1). */
function alawToLinear(value: number): number {
  const a = value ^ 0x55;
  const exponent = (a & 0x70) >> 4;
  let magnitude = (a & 0x0f) << 4;
  magnitude += exponent === 0 ? 8 : 0x108;
  if (exponent > 1) magnitude <<= exponent - 1;
  return (a & 0x80 ? magnitude : -magnitude) / 32768;
}

function mulawToLinear(value: number): number {
  const u = ~value & 0xff;
  const exponent = (u & 0x70) >> 4;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return (u & 0x80 ? -magnitude : magnitude) / 32768;
}

export const ALAW_TABLE = Float32Array.from({ length: 256 }, (_, i) => alawToLinear(i));
export const MULAW_TABLE = Float32Array.from({ length: 256 }, (_, i) => mulawToLinear(i));
