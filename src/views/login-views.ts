import { PASSWORD_MIN, USERNAME_MAX, USERNAME_MIN } from '../accounts/rules.js';
import { t } from '../i18n/request-language.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { tHtml } from './message-html.js';

export function loginPage(view: {
  next: string;
  username?: string;
  error?: string;
  registrationOpen: boolean;
}): string {
  return layout({
    title: t('accounts.login.title'),
    bodyClass: 'home',
    organizer: true,
    body: html`<main class="narrow">
<h1 class="brand-large">Pollcast</h1>
<form method="post" action="/admin/login" class="card login-form">
<h2>${t('accounts.login.title')}</h2>
${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : ''}
<input type="hidden" name="next" value="${view.next}">
<label for="username">${t('accounts.form.username')}</label>
<input id="username" name="username" autocomplete="username" value="${view.username ?? ''}" required maxlength="64"${view.username ? '' : html` autofocus`}>
<label for="password">${t('accounts.form.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"${view.username ? html` autofocus` : ''}>
<button type="submit" class="primary">${t('accounts.login.title')}</button>
</form>
<p class="secondary-link">${view.registrationOpen ? html`${tHtml('accounts.login.noAccount', { link: html`<a href="/admin/register">${t('accounts.login.createOne')}</a>` })} · ` : ''}<a href="/">${t('accounts.login.backToJoining')}</a></p>
</main>`,
  });
}

/** The fields of a new account, with the rules stated where they are typed. */
export function newAccountFields(username = '') {
  return html`<label for="new-username">${t('accounts.form.username')}</label>
<input id="new-username" name="username" autocomplete="username" value="${username}" required minlength="3" maxlength="32" pattern="[A-Za-z0-9._\\-]{3,32}" aria-describedby="username-rule">
<p class="hint" id="username-rule">${t('accounts.rules.usernameHint', { min: USERNAME_MIN, max: USERNAME_MAX })}</p>
${newPasswordField({ id: 'new-password', name: 'password', label: t('accounts.form.password') })}`;
}

/** A field for a password being chosen, with the rule stated where it is typed. */
export function newPasswordField(field: { id: string; name: string; label: string }): SafeHtml {
  return html`<label for="${field.id}">${field.label}</label>
<input id="${field.id}" name="${field.name}" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN}" maxlength="256" aria-describedby="${field.id}-rule">
<p class="hint" id="${field.id}-rule">${t('accounts.rules.passwordHint', { min: PASSWORD_MIN })}</p>`;
}

export function registerPage(view: { open: boolean; username?: string; error?: string }): string {
  return layout({
    title: t('accounts.register.title'),
    bodyClass: 'home',
    organizer: true,
    body: html`<main class="narrow">
<h1 class="brand-large">Pollcast</h1>
${
  view.open
    ? html`<form method="post" action="/admin/register" class="card login-form">
<h2>${t('accounts.register.heading')}</h2>
${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : ''}
${newAccountFields(view.username)}
<button type="submit" class="primary">${t('accounts.form.createAccount')}</button>
</form>`
    : html`<section class="card"><h2>${t('accounts.register.closedTitle')}</h2><p>${tHtml('accounts.register.closedText', { link: html`<a href="/#create">${t('accounts.register.quickPoll')}</a>` })}</p></section>`
}
<p class="secondary-link"><a href="/admin/login">${t('accounts.login.title')}</a> · <a href="/">${t('accounts.register.joinPoll')}</a></p>
</main>`,
  });
}
