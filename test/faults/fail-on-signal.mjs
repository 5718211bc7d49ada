// Loaded into a Pollcast process by a fault test (NODE_OPTIONS=--import): on SIGUSR2 it fails
// the way a library can, outside any request — a listener on a worker's message port throws
// (what tesseract.js does with a failed job) and a promise nobody awaits rejects.
import { MessageChannel } from 'node:worker_threads';

process.on('SIGUSR2', () => {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', () => {
    port1.close();
    throw new Error('thrown from a library callback');
  });
  port2.postMessage('job failed');
  Promise.reject(new Error('a rejection nobody handled'));
});
