import { html } from './html.js';
import { layout } from './layout.js';

export function loginPage(view: { next: string; username?: string; error?: string }): string {
  return layout({
    title: 'Sign in',
    bodyClass: 'home',
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
<p class="secondary-link"><a href="/">Back to joining a poll</a></p>
</main>`,
  });
}
