import { el } from './dom.ts';

/** An input with its label, as the management forms lay them out. */
export function field(id: string, label: string, input: HTMLElement): HTMLElement {
  return el('span', { class: 'field' }, el('label', { for: id }, label), input);
}

export function checkbox(id: string, label: string, checked: boolean): { node: HTMLElement; input: HTMLInputElement } {
  const input = el('input', { id, type: 'checkbox' });
  input.checked = checked;
  return { node: el('label', { class: 'check', for: id }, input, ` ${label}`), input };
}

/** datetime-local value → UTC ms, read in the browser's zone (the admin's own clock); NaN when empty. */
export const localInput = (value: string) => (value ? new Date(value).getTime() : Number.NaN);
