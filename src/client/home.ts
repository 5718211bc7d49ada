import { enhanceOptionRows } from './option-rows.js';

// The home page: the quick poll form's option rows.

const form = document.querySelector<HTMLFormElement>('.quick-form');
if (form) enhanceOptionRows(form);
