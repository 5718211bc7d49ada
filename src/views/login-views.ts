import { PASSWORD_MIN, PASSWORD_RULE, USERNAME_RULE } from '../accounts/rules.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

export function loginPage(view: {
  next: string;
  username?: string;
  error?: string;
  registrationOpen: boolean;
}): string {
  return layout({
    title: 'Sign in',
    bodyClass: 'home',
    organizer: true,
    body: html`<main class="narrow">
<h1 class="brand-large">Pollcast</h1>
<form method="post" action="/admin/login" class="card login-form">
<h2>Sign in</h2>
${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : ''}
<input type="hidden" name="next" value="${view.next}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" value="${view.username ?? ''}" required maxlength="64"${view.username ? '' : html` autofocus`}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"${view.username ? html` autofocus` : ''}>
<button type="submit" class="primary">Sign in</button>
</form>
<p class="secondary-link">${view.registrationOpen ? html`No account yet? <a href="/admin/register">Create one</a> · ` : ''}<a href="/">Back to joining a poll</a></p>
</main>`,
  });
}

/** The fields of a new account, with the rules stated where they are typed. */
export function newAccountFields(username = '') {
  return html`<label for="new-username">Username</label>
<input id="new-username" name="username" autocomplete="username" value="${username}" required minlength="3" maxlength="32" pattern="[A-Za-z0-9._\\-]{3,32}" aria-describedby="username-rule">
<p class="hint" id="username-rule">${USERNAME_RULE}.</p>
${newPasswordField({ id: 'new-password', name: 'password', label: 'Password' })}`;
}

/** A field for a password being chosen, with the rule stated where it is typed. */
export function newPasswordField(field: { id: string; name: string; label: string }): SafeHtml {
  return html`<label for="${field.id}">${field.label}</label>
<input id="${field.id}" name="${field.name}" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="256" aria-describedby="${field.id}-rule">
<p class="hint" id="${field.id}-rule">${PASSWORD_RULE[0]?.toUpperCase()}${PASSWORD_RULE.slice(1)}.</p>`;
}

export function registerPage(view: { open: boolean; username?: string; error?: string }): string {
  return layout({
    title: 'Create an account',
    bodyClass: 'home',
    organizer: true,
    body: html`<main class="narrow">
<h1 class="brand-large">Pollcast</h1>
${
  view.open
    ? html`<form method="post" action="/admin/register" class="card login-form">
<h2>Create an organizer account</h2>
${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : ''}
${newAccountFields(view.username)}
<button type="submit" class="primary">Create account</button>
</form>`
    : html`<section class="card"><h2>Accounts are by invitation</h2><p>The admin of this Pollcast creates organizer accounts. Anyone can still <a href="/#create">make a quick poll</a>.</p></section>`
}
<p class="secondary-link"><a href="/admin/login">Sign in</a> · <a href="/">Join a poll</a></p>
</main>`,
  });
}
