import { placeName } from '../polls/kinds/ranking/places.js';

// A ranking's form: without JavaScript a choice of option for each place; with it, one list of
// the options to put in order with "up" and "down" buttons (by touch or keyboard), which keeps
// the choices for each place — what the form sends — in step.

function moveButton(direction: 'up' | 'down', text: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'rank-move';
  button.dataset.move = direction;
  button.textContent = direction === 'up' ? '↑' : '↓';
  button.setAttribute('aria-label', `Move ${text} ${direction}`);
  return button;
}

/** Turns each not yet enhanced ranking form under `root` into a list to reorder. */
export function enhanceRankings(root: HTMLElement): void {
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
      label.textContent = text;
      row.append(label, moveButton('up', text), moveButton('down', text));
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
      const place = [...list.children].indexOf(row) + 1;
      status.textContent = `${textOf.get(row.dataset.optionId ?? '')} is now ${placeName(place)}`;
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
