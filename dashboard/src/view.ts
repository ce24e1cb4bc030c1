import type { LiveMessage, Me } from '@nines/shared';

export interface ViewContext {
  me: Me;
  /** The element the view owns; replaced on navigation. */
  root: HTMLElement;
}

/** What a mounted view does with live deltas: apply them in place where it can, else refresh (throttled by the router). */
export interface MountedView {
  /** Applies the message to what is shown, without a request; true when that was all it needed. */
  apply?(message: LiveMessage): boolean;
  /** True when the message concerns this view and it should refresh. */
  wants(message: LiveMessage): boolean;
  refresh(): Promise<void>;
  /** Called when the view is left (stop timers, destroy charts). */
  dispose?(): void;
}

export type View = (params: string[], ctx: ViewContext) => Promise<MountedView>;
