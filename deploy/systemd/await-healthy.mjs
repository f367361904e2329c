/* global process, console, fetch, AbortSignal, setTimeout */
// Waits until a freshly started process answers 200 on /healthz, for the units' ExecStartPost=.
// `systemctl start|restart` then returns only once the process really serves, a rolling deploy moves
// on only after a healthy restart, and a process that never becomes healthy fails its unit, so
// Restart=on-failure starts it again.
//
//   node await-healthy.mjs worker|serve [seconds]
const [role, secondsArg] = process.argv.slice(2);
const ports = { worker: process.env.WORKER_HTTP_PORT || '9464', serve: process.env.HTTP_PORT || '8080' };
if (!(role in ports)) {
  console.error('usage: await-healthy.mjs worker|serve [seconds]');
  process.exit(2);
}
const url = `http://127.0.0.1:${ports[role]}/healthz`;
const deadline = Date.now() + Number(secondsArg || 150) * 1000;

let last = 'no answer';
while (Date.now() < deadline) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (res.ok) process.exit(0);
    last = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
  } catch (err) {
    last = err.cause?.code ?? err.message;
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
console.error(`${role} not healthy at ${url} after ${secondsArg || 150} s: ${last}`);
process.exit(1);
