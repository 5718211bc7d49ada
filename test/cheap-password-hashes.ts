import { setHashCostForTests } from '../src/accounts/passwords.js';

// Runs before every test file. Tests create and sign in to hundreds of accounts; at OWASP's
// cost (128 MiB and about 0.4 s a hash) that alone would make the suite minutes longer.
// src/accounts/passwords.test.ts tests the cost the server uses.
setHashCostForTests('cheap');
