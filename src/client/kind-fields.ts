// A question form's kind: only the settings of the kind picked are shown. Without JavaScript
// every setting shows, each saying which kind it is for.

export function enhanceKindFields(form: HTMLFormElement): void {
  const fields = form.querySelector<HTMLElement>('.kind-fields');
  if (!fields) return;
  const show = () => {
    const kind = fields.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value;
    for (const setting of fields.querySelectorAll<HTMLElement>('[data-for-kind]')) {
      setting.hidden = setting.dataset.forKind !== kind;
    }
  };
  fields.addEventListener('change', show);
  show();
}
