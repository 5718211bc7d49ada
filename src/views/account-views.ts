import type { PublicUser } from '../accounts/service.js';
import { type AdminFrame, adminShell, csrfField } from './admin-shell.js';
import { html } from './html.js';
import { newAccountFields } from './login-views.js';

export function accountsPage(
  frame: AdminFrame,
  view: { accounts: PublicUser[]; username?: string; notice?: string | undefined; error?: string | undefined },
): string {
  return adminShell(frame, {
    title: 'Accounts',
    notice: view.notice,
    error: view.error,
    body: html`<h1>Accounts</h1>
<div class="grid">
<section class="card" aria-labelledby="new-account-title">
<h2 id="new-account-title">New organizer account</h2>
<p class="hint">Organizers create and run their own polls; they see only those.</p>
<form method="post" action="/admin/users" class="login-form">
${csrfField(frame.csrf)}
${newAccountFields(view.username)}
<button type="submit" class="primary">Create account</button>
</form>
</section>
<section class="card" aria-labelledby="accounts-title">
<h2 id="accounts-title">Every account</h2>
<ul class="plain-list">
${view.accounts.map((account) => html`<li><strong>${account.username}</strong> <span class="badge">${account.role}</span></li>`)}
</ul>
</section>
</div>`,
  });
}
