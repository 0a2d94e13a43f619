// test/addon.test.ts again, against the shipped bundle (dist/librespot2mqtt.mjs) alone in a folder:
// the add-on image runs exactly this file.
process.env.L2M_TEST_ENTRY = 'bundle';
await import('./addon.test.js');
export {};
