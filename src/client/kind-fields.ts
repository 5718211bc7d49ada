// A question form's kind: only the settings of the kind picked are shown, and the option rows
// only for a kind with options. Without JavaScript every field shows, each saying which kind it
// is for.

export function enhanceKindFields(form: HTMLFormElement): void {
  const fields = form.querySelector<HTMLElement>('.kind-fields');
  if (!fields) return;
  const optionRows = form.querySelector<HTMLFieldSetElement>('.option-rows');
  const show = () => {
    const picked = fields.querySelector<HTMLInputElement>('input[name="kind"]:checked');
    for (const setting of fields.querySelectorAll<HTMLFieldSetElement>('[data-for-kind]')) {
      setting.hidden = setting.dataset.forKind !== picked?.value;
      setting.disabled = setting.hidden;
    }
    if (optionRows) {
      // Disabled, the rows are neither checked nor sent.
      optionRows.hidden = picked?.dataset.options === 'no';
      optionRows.disabled = optionRows.hidden;
    }
  };
  fields.addEventListener('change', show);
  show();
}
