#!/usr/bin/env node
// librespot2mqtt's entry. Scripts call ctl again and again, so it loads its own modules only: none
// of the bridge, the logger, the demo or the add-on (main.ts has those commands).
const argv = process.argv.slice(2);
const running: Promise<number> =
  argv[0] === 'ctl' ? import('./ctl/ctl.js').then(({ ctl }) => ctl(argv.slice(1))) : import('./main.js').then(({ main }) => main(argv));
running.then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
