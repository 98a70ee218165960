import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import { onColorSchemeChange, themeColor } from '../lib/theme';
import { decodePeaks, drawWaveform, type Peaks } from '../lib/waveform';

/** Waveform columns per CSS pixel of width (one bar every 3 px). */
const COLUMN_WIDTH_PX = 3;
/** Seconds an arrow key moves the position. */
const SEEK_STEP_S = 0.5;

function clock(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

/**
 * A laugh's clip: play/pause, and its waveform (decoded from the clip itself once the player
 * scrolls into view) with the laugh highlighted and a playhead; the waveform is a slider to seek.
 */
export function ClipPlayer({ clipUrl, laughDurationS, label }: { clipUrl: string; laughDurationS: number; label: string }) {
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [waveError, setWaveError] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [playError, setPlayError] = useState('');
  const [scheme, setScheme] = useState(0);
  // The canvas has no CSS colours of its own: redraw when the system switches light/dark.
  useEffect(() => onColorSchemeChange(() => setScheme((n) => n + 1)), []);

  // Decode the clip for the waveform once it is on screen.
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    let cancelled = false;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      api
        .clip(clipUrl)
        .then((res) => res.arrayBuffer())
        .then((bytes) => decodePeaks(bytes, Math.max(40, Math.floor(el.clientWidth / COLUMN_WIDTH_PX))))
        .then((p) => !cancelled && setPeaks(p))
        .catch(() => !cancelled && setWaveError(true));
    });
    observer.observe(el);
    return () => {
      cancelled = true;
      observer.disconnect();
    };
  }, [clipUrl]);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !peaks) return;
    drawWaveform(el, peaks, laughDurationS, position, {
      wave: themeColor('--wave', '#888'),
      highlight: themeColor('--wave-highlight-bg', 'rgba(245,177,0,0.25)'),
      highlightWave: themeColor('--accent', '#b36b00'),
      playhead: themeColor('--text', '#222'),
    });
  }, [peaks, position, laughDurationS, scheme]);

  // Move the playhead smoothly while playing.
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const tick = () => {
      if (audio.current) setPosition(audio.current.currentTime);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  const toggle = async () => {
    const el = audio.current;
    if (!el) return;
    setPlayError('');
    if (!el.paused) {
      el.pause();
      return;
    }
    try {
      await el.play();
    } catch {
      setPlayError('This clip could not be played.');
    }
  };

  const duration = peaks?.durationS ?? 0;
  const seek = (s: number) => {
    const el = audio.current;
    const to = Math.max(0, Math.min(duration || s, s));
    if (el) el.currentTime = to;
    setPosition(to);
  };

  return (
    <div class="player">
      <audio
        ref={audio}
        src={clipUrl}
        preload="none"
        onPlaying={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false);
          setPosition(0);
        }}
        onError={() => setPlayError('This clip could not be loaded.')}
      />
      <button type="button" class="player__button" onClick={toggle} aria-label={`${playing ? 'Pause' : 'Play'} ${label}`}>
        <span class={playing ? 'icon icon--pause' : 'icon icon--play'} aria-hidden="true" />
      </button>
      <div
        class="player__wave"
        role="slider"
        tabIndex={0}
        aria-label={`Position in ${label}`}
        aria-valuemin={0}
        aria-valuemax={Math.round(duration * 10) / 10}
        aria-valuenow={Math.round(position * 10) / 10}
        aria-valuetext={`${clock(position)} of ${clock(duration)}`}
        onClick={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          if (duration) seek(((e.clientX - rect.left) / rect.width) * duration);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight' || e.key === 'ArrowUp') seek(position + SEEK_STEP_S);
          else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') seek(position - SEEK_STEP_S);
          else if (e.key === 'Home') seek(0);
          else if (e.key === 'End') seek(duration);
          else return;
          e.preventDefault();
        }}
      >
        <canvas ref={canvas} class="player__canvas" aria-hidden="true" />
        {!peaks && <span class="player__note">{waveError ? 'Waveform unavailable' : 'Loading waveform…'}</span>}
      </div>
      <span class="player__time">{duration ? `${clock(position)} / ${clock(duration)}` : ''}</span>
      {playError && (
        <p class="form-error player__error" role="alert">
          {playError}
        </p>
      )}
    </div>
  );
}
