/** Averages channels into one (so a full-scale signal on every channel stays full scale). */
export function downmixToMono(channels: readonly Float32Array[], length: number): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0].length === length ? channels[0] : channels[0].subarray(0, length);
  const out = new Float32Array(length);
  for (const channel of channels) for (let i = 0; i < length; i++) out[i] += channel[i];
  const scale = 1 / channels.length;
  for (let i = 0; i < length; i++) out[i] *= scale;
  return out;
}
