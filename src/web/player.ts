/**
 * The player: a video whose presented frame drives the page, with the frame
 * number and a badge over the picture for frames that are not their own render.
 *
 * Frame accuracy comes from requestVideoFrameCallback: its mediaTime is the
 * timestamp of the frame actually on screen (timeupdate lags by up to 250 ms).
 * Two set-ups:
 *  - mesh only: render.mp4 is the video; video frame i shows meshFrames[i];
 *  - with a source video (viewer): the source plays, frame k of it being
 *    sequence frame k, and the mesh view beside it shows mesh_k.png (exact and
 *    cheap), or, without PNGs, render.mp4 seeked to the matching frame.
 */
import { el } from './dom.js';
import { badgeText, checkText, meshVideoFrames, type PageConfig, type ReportData, type ReportFrame } from './report-data.js';
import type { FrameState } from './frame-state.js';

type VideoFrameCb = (now: number, meta: { mediaTime: number; presentedFrames: number }) => void;
type RvfcVideo = HTMLVideoElement & { requestVideoFrameCallback(cb: VideoFrameCb): number };

/** Preload this many mesh images ahead of the current frame while playing. */
const PRELOAD_AHEAD = 8;

export interface Player {
  element: HTMLElement;
  seek(frame: number): void;
  step(delta: number): void;
}

export function createPlayer(r: ReportData, cfg: PageConfig, state: FrameState): Player {
  const byFrame = new Map(r.frames.map((f) => [f.frame, f]));
  const meshFrames = meshVideoFrames(r);
  const meshIndex = new Map(meshFrames.map((f, i) => [f.frame, i]));
  const meshUrl = r.video ? cfg.filesBase + encodeURI(r.video.file) : null;
  const src = cfg.sourceVideo;

  const label = el('div', { class: 'frame-label', id: 'frame-number' });
  const badge = el('div', { class: 'badge', id: 'badge', hidden: true });
  const details = el('dl', { class: 'details', id: 'frame-details' });
  const stage = el('div', { class: 'stage' });
  const element = el('section', { class: 'panel player', id: 'player' }, el('h2', {}, 'Player'), stage, details);

  if (!meshUrl && !src) {
    stage.append(el('p', { class: 'muted no-video' }, r.dry_run ? 'Dry run: no video was written.' : 'This run wrote no video.'));
    state.watch((f) => showDetails(details, byFrame.get(f)));
    return { element, seek: (f) => state.set(f), step: (d) => stepIn(r.frames, state, d, (f) => state.set(f)) };
  }

  // The primary video: its presented frame is the page's frame.
  const video = el('video', { controls: true, muted: true, playsinline: true, preload: 'auto', id: src ? 'source-video' : 'mesh-video' }) as RvfcVideo;
  const primary = src
    ? { url: src.url, fps: src.fps, frames: r.frames, indexOf: (f: number) => (byFrame.has(f) ? Math.max(0, f - 1) : undefined), at: (i: number) => byFrame.get(i + 1) }
    : { url: meshUrl!, fps: r.video!.fps, frames: meshFrames, indexOf: (f: number) => meshIndex.get(f), at: (i: number) => meshFrames[i] };
  video.src = primary.url;

  const meshBox = el('div', { class: 'view mesh-view', id: 'mesh-view' });
  let showMesh: (f: ReportFrame | undefined) => void = () => {};
  if (src) {
    stage.append(el('div', { class: 'view source-view' }, el('div', { class: 'view-title' }, `source: ${src.name}`), video), meshBox);
    meshBox.append(el('div', { class: 'view-title' }, 'mesh'));
    showMesh = createMeshSlave(r, cfg, meshBox, meshFrames, meshIndex, meshUrl);
  } else {
    meshBox.append(el('div', { class: 'view-title' }, 'render.mp4'), video);
    stage.append(meshBox);
  }
  meshBox.append(label, badge);

  const onFrame: VideoFrameCb = (_now, meta) => {
    const f = primary.at(Math.min(primary.frames.length - 1, Math.max(0, Math.round(meta.mediaTime * primary.fps))));
    if (f) state.set(f.frame);
    element.dataset.presented = String(f?.frame ?? '');
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);

  state.watch((frame) => {
    const f = byFrame.get(frame);
    const inVideo = primary.indexOf(frame) !== undefined;
    label.textContent = `frame ${frame}${f ? ` · ${f.status}` : ''}`;
    const text = f ? badgeText(f) : null;
    badge.hidden = !text;
    badge.textContent = text ?? '';
    badge.className = `badge st-${f?.status ?? ''}`;
    meshBox.classList.toggle('not-in-video', !inVideo);
    showMesh(f);
    showDetails(details, f);
  });

  const seek = (frame: number) => {
    const i = primary.indexOf(frame);
    // A frame the video does not hold (skipped, failed) is still shown in the details.
    if (i === undefined) { state.set(frame); return; }
    // Mid-frame, so rounding never lands on the neighbour.
    video.currentTime = (i + 0.5) / primary.fps;
  };
  return { element, seek, step: (d) => stepIn(primary.frames, state, d, seek) };
}

function stepIn(frames: ReportFrame[], state: FrameState, delta: number, seek: (f: number) => void): void {
  let i = frames.findIndex((f) => f.frame === state.frame);
  if (i < 0) i = frames.findIndex((f) => f.frame > state.frame) - (delta > 0 ? 1 : 0);
  const j = Math.min(frames.length - 1, Math.max(0, i + delta));
  if (frames[j]) seek(frames[j].frame);
}

/** The mesh view beside a source video: mesh_k.png when the run wrote PNGs, else render.mp4 seeked to frame k. */
function createMeshSlave(r: ReportData, cfg: PageConfig, box: HTMLElement, meshFrames: ReportFrame[], meshIndex: Map<number, number>,
  meshUrl: string | null): (f: ReportFrame | undefined) => void {
  const hasPngs = r.frames.some((f) => f.image);
  if (hasPngs) {
    const img = el('img', { class: 'mesh-image', id: 'mesh-image', alt: 'mesh' });
    box.append(img);
    const urlOf = (f: ReportFrame) => cfg.filesBase + encodeURI(f.image!);
    const cache = new Map<number, HTMLImageElement>();
    return (f) => {
      box.dataset.shownFrame = '';
      if (!f?.image) { img.removeAttribute('src'); return; }
      const url = urlOf(f);
      img.onload = () => { box.dataset.shownFrame = String(f.frame); };
      img.src = url;
      if (img.complete && img.naturalWidth) box.dataset.shownFrame = String(f.frame);
      // Warm the cache for the frames about to play.
      const at = r.frames.indexOf(f);
      for (const g of r.frames.slice(at + 1, at + 1 + PRELOAD_AHEAD)) {
        if (g.image && !cache.has(g.frame)) { const p = new Image(); p.src = urlOf(g); cache.set(g.frame, p); }
      }
      if (cache.size > 4 * PRELOAD_AHEAD) for (const k of [...cache.keys()].slice(0, PRELOAD_AHEAD)) cache.delete(k);
    };
  }
  if (!meshUrl) {
    box.append(el('p', { class: 'muted' }, 'This run wrote neither PNGs nor a video.'));
    return () => {};
  }
  const v = el('video', { muted: true, preload: 'auto', id: 'mesh-video', src: meshUrl }) as RvfcVideo;
  box.append(v);
  const fps = r.video!.fps;
  const shown: VideoFrameCb = (_n, meta) => {
    box.dataset.shownFrame = String(meshFrames[Math.round(meta.mediaTime * fps)]?.frame ?? '');
    v.requestVideoFrameCallback(shown);
  };
  v.requestVideoFrameCallback(shown);
  return (f) => {
    const i = f ? meshIndex.get(f.frame) : undefined;
    if (i !== undefined) v.currentTime = (i + 0.5) / fps;
  };
}

function showDetails(dl: HTMLElement, f: ReportFrame | undefined): void {
  dl.replaceChildren();
  if (!f) return;
  const rows: Array<[string, string]> = [
    ['frame', String(f.frame)], ['status', f.status], ['check', checkText(f.check)],
    ['detail', f.detail ?? '–'], ['file', f.file ?? '–'],
  ];
  if (f.source_frame != null) rows.push(['shows', `frame ${f.source_frame}`]);
  if (typeof f.render_ms === 'number') rows.push(['render', `${f.render_ms.toFixed(2)} ms`]);
  for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', { 'data-key': k }, v));
}
