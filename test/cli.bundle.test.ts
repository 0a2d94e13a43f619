// test/cli.test.ts again, against the shipped bundle (dist/librespot2mqtt.mjs) alone in a folder.
process.env.L2M_TEST_ENTRY = 'bundle';
await import('./cli.test.js');
export {};
