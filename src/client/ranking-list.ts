import { placeName } from '../polls/kinds/ranking/places.js';
import { messagesLoaded, t } from './messages.js';

// A ranking's form: without JavaScript a choice of option for each place; with it, one list of
// the options to put in order by dragging a row's handle (mouse, pen or touch) or with its "up"
// and "down" buttons (touch or keyboard), which keeps the choices for each place — what the
// form sends — in step.

function moveButton(direction: 'up' | 'down', text: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'rank-move';
  button.dataset.move = direction;
  button.textContent = direction === 'up' ? '↑' : '↓';
  button.setAttribute(
    'aria-label',
    direction === 'up'
      ? t('browser.ranking.moveUp', { option: text })
      : t('browser.ranking.moveDown', { option: text }),
  );
  return button;
}

/** A handle to drag a row by; the buttons beside it say the same to a keyboard or a screen reader. */
function dragHandle(): HTMLSpanElement {
  const handle = document.createElement('span');
  handle.className = 'rank-handle';
  handle.setAttribute('aria-hidden', 'true');
  handle.textContent = '⠿';
  return handle;
}

/**
 * Rows follow the pointer that drags their handle, between their neighbours; `moved` once
 * dropped. The document follows the pointer: moving the row in the list would end a capture.
 */
function dragToReorder(list: HTMLOListElement, moved: (row: HTMLElement) => void): void {
  list.addEventListener('pointerdown', (event) => {
    const row = (event.target as HTMLElement).closest('.rank-handle')?.closest<HTMLElement>('.rank-row');
    // The main button (or a touch, or a pen) drags; another mouse button does not.
    if (!row || event.button !== 0) return;
    event.preventDefault();
    row.classList.add('dragging');
    const follow = (move: PointerEvent) => {
      if (move.pointerId !== event.pointerId) return;
      const over = [...list.children].find((other) => {
        const box = other.getBoundingClientRect();
        return other !== row && move.clientY >= box.top && move.clientY <= box.bottom;
      });
      if (!over) return;
      const box = over.getBoundingClientRect();
      const above = move.clientY < box.top + box.height / 2;
      if (above && row.nextElementSibling !== over) over.before(row);
      else if (!above && row.previousElementSibling !== over) over.after(row);
    };
    const drop = (end: PointerEvent) => {
      if (end.pointerId !== event.pointerId) return;
      row.classList.remove('dragging');
      document.removeEventListener('pointermove', follow);
      document.removeEventListener('pointerup', drop);
      document.removeEventListener('pointercancel', drop);
      moved(row);
    };
    document.addEventListener('pointermove', follow);
    document.addEventListener('pointerup', drop);
    document.addEventListener('pointercancel', drop);
  });
}

/**
 * Turns each not yet enhanced ranking form under `root` into a list to reorder, once the page's
 * messages are here (its buttons' names): until then the form's choices work as they are.
 */
export async function enhanceRankings(root: HTMLElement): Promise<void> {
  await messagesLoaded();
  for (const fieldset of root.querySelectorAll<HTMLFieldSetElement>('[data-ranking]:not([data-enhanced])')) {
    fieldset.dataset.enhanced = '';
    const places = fieldset.querySelector<HTMLElement>('.rank-places');
    const selects = [...fieldset.querySelectorAll<HTMLSelectElement>('select[name="ranking"]')];
    if (!places || selects.length === 0) continue;
    const textOf = new Map([...(selects[0]?.options ?? [])].map((option) => [option.value, option.text]));
    const list = document.createElement('ol');
    list.className = 'rank-list';
    const status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('aria-live', 'polite');
    for (const select of selects) {
      const text = textOf.get(select.value) ?? '';
      const row = document.createElement('li');
      row.className = 'rank-row';
      row.dataset.optionId = select.value;
      const label = document.createElement('span');
      label.className = 'rank-text';
      label.dir = 'auto';
      label.textContent = text;
      row.append(dragHandle(), label, moveButton('up', text), moveButton('down', text));
      list.append(row);
    }
    const sync = () => {
      const rows = [...list.querySelectorAll<HTMLElement>('.rank-row')];
      rows.forEach((row, i) => {
        const select = selects[i];
        if (select) select.value = row.dataset.optionId ?? '';
        for (const button of row.querySelectorAll<HTMLButtonElement>('[data-move]')) {
          button.disabled = button.dataset.move === 'up' ? i === 0 : i === rows.length - 1;
        }
      });
    };
    const announce = (row: HTMLElement) => {
      const place = [...list.children].indexOf(row) + 1;
      status.textContent = t('browser.ranking.nowAt', {
        option: textOf.get(row.dataset.optionId ?? '') ?? '',
        place: placeName(place),
      });
    };
    dragToReorder(list, (row) => {
      sync();
      announce(row);
    });
    list.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-move]');
      const row = button?.closest<HTMLElement>('.rank-row');
      if (!button || !row) return;
      const up = button.dataset.move === 'up';
      const neighbour = up ? row.previousElementSibling : row.nextElementSibling;
      if (!neighbour) return;
      if (up) neighbour.before(row);
      else neighbour.after(row);
      sync();
      announce(row);
      // The same button keeps focus, so that pressing it again moves the option on; at an end, the other one.
      const next = button.disabled
        ? row.querySelector<HTMLButtonElement>(`[data-move="${up ? 'down' : 'up'}"]`)
        : button;
      next?.focus();
    });
    places.hidden = true;
    places.after(list, status);
    sync();
  }
}
