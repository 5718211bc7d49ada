// Forms that destroy something ask first (without JavaScript they post at once).

export function confirmDestructiveForms(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('confirm')) return;
    if (!window.confirm(form.dataset.confirm || 'Are you sure?')) event.preventDefault();
  });
}
