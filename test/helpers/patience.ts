// How long a test waits for something that must happen. Generous on purpose: CI is one run on a
// loaded machine, and only a test that is failing anyway ever waits this out.
export const WAIT_MS = 20_000;
