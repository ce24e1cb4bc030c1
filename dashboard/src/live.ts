import type { LiveMessage } from '@nines/shared';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** One socket to /ws/live that comes back by itself after a drop (1 s … 30 s, jittered). */
export function connectLive(onMessage: (m: LiveMessage) => void, onState: (s: LiveState) => void, onReconnected: () => void): () => void {
  let attempt = 0;
  let socket: WebSocket | null = null;
  let stopped = false;
  let timer: number | undefined;
  const open = () => {
    onState(attempt === 0 ? 'connecting' : 'reconnecting');
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/live`);
    socket.onopen = () => {
      if (attempt > 0) onReconnected();
      attempt = 0;
      onState('live');
    };
    socket.onmessage = (event) => onMessage(JSON.parse(String(event.data)) as LiveMessage);
    socket.onclose = () => {
      if (stopped) return;
      onState('reconnecting');
      const delay = Math.min(30_000, 1_000 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      timer = window.setTimeout(open, delay);
    };
  };
  open();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    socket?.close();
  };
}
