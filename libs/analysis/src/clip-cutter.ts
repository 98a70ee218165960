import { clipWindow, type ClipWindow, type LaughterEvent } from '@giggles/detection';
import { SampleRing } from './sample-ring';

export interface ClipSettings {
  /** Seconds of audio kept before and after each event (default 2). */
  paddingS: number;
  /** Longest clip in seconds; longer windows are centred on the peak (default 30). */
  maxClipS: number;
}

export interface CutClip {
  event: LaughterEvent;
  window: ClipWindow;
  /** 16 kHz mono samples of `window`. */
  samples: Float32Array;
  sampleRate: number;
}

/**
 * Cuts a clip per event from the recent audio while the recording streams past. An event is
 * final a little before the audio after it has arrived (its right padding may still be ahead), so
 * clips wait in `pending` until the ring holds their whole window, or until the recording ends.
 */
export class ClipCutter {
  private readonly ring: SampleRing;
  private readonly pending: { event: LaughterEvent; window: ClipWindow }[] = [];

  constructor(
    private readonly settings: ClipSettings,
    private readonly sampleRate: number,
    /** Seconds of audio the ring must hold: how far decoding may run ahead of a final event, plus a clip. */
    retainS: number,
  ) {
    this.ring = new SampleRing(Math.ceil((retainS + settings.maxClipS) * sampleRate));
  }

  pushAudio(samples: Float32Array): CutClip[] {
    this.ring.push(samples);
    return this.takeReady(false);
  }

  addEvent(event: LaughterEvent): CutClip[] {
    this.pending.push({ event, window: clipWindow(event, Number.MAX_SAFE_INTEGER, this.settings) });
    return this.takeReady(false);
  }

  /** The recording ended: windows are clamped to its real length and every pending clip is cut. */
  finish(): CutClip[] {
    return this.takeReady(true);
  }

  private takeReady(ended: boolean): CutClip[] {
    const out: CutClip[] = [];
    const durationS = this.ring.position / this.sampleRate;
    while (this.pending.length > 0) {
      const { event } = this.pending[0];
      let { window } = this.pending[0];
      if (ended) window = clipWindow(event, durationS, this.settings);
      const to = Math.round(window.endS * this.sampleRate);
      if (!ended && to > this.ring.position) break;
      this.pending.shift();
      const from = Math.round(window.startS * this.sampleRate);
      out.push({ event, window, samples: this.ring.read(from, Math.min(to, this.ring.position)), sampleRate: this.sampleRate });
    }
    return out;
  }
}
