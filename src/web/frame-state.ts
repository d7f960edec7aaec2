/**
 * The one piece of shared state: which sequence frame the page shows.
 * The player sets it when a video presents a frame; clicks and keys ask the
 * player to seek, and the player's callback then sets it.
 */
export type FrameListener = (frame: number) => void;

export class FrameState {
  private current: number;
  private readonly listeners: FrameListener[] = [];
  constructor(first: number) { this.current = first; }
  get frame(): number { return this.current; }
  set(frame: number): void {
    if (frame === this.current) return;
    this.current = frame;
    for (const l of this.listeners) l(frame);
  }
  /** Calls `l` now and on every change. */
  watch(l: FrameListener): void { this.listeners.push(l); l(this.current); }
}
