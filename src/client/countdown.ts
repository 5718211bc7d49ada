import { clockTime } from '../views/format.js';

// Counts down a live question's time left. Each countdown starts from the server's "closes in",
// as the page received it, not from this device's clock: every phone and screen shows the same
// time whatever its clock says. At zero the server closes the question and the page follows.

const TICK_MS = 250;
const deadlines = new WeakMap<Element, number>();
const running = new WeakSet<HTMLElement>();

function tick(root: HTMLElement) {
  for (const element of root.querySelectorAll<HTMLElement>('.countdown[data-closes-in-ms]')) {
    let deadline = deadlines.get(element);
    if (deadline === undefined) {
      deadline = performance.now() + Number(element.dataset.closesInMs);
      deadlines.set(element, deadline);
    }
    const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
    const time = element.querySelector('.countdown-time');
    if (time && time.textContent !== clockTime(left)) time.textContent = clockTime(left);
    element.classList.toggle('ending', left <= 5);
  }
}

/** Keeps every countdown in the live region moving, those swapped in later too. */
export function runCountdowns(root: HTMLElement): void {
  tick(root);
  if (running.has(root)) return;
  running.add(root);
  setInterval(() => tick(root), TICK_MS);
}
