import { enhanceKindFields } from './kind-fields.js';
import { enhanceOptionRows } from './option-rows.js';

// The home page: the quick poll form's option rows and kind.

const form = document.querySelector<HTMLFormElement>('.quick-form');
if (form) {
  enhanceOptionRows(form);
  enhanceKindFields(form);
}
