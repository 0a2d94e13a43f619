// Home Assistant templates rendered by real Jinja2 (python3-jinja2), with the few HA functions our
// templates use (states()) and HA's variables. CI installs python3-jinja2; without it this throws.
import { execFileSync } from 'node:child_process';

const RENDER = `
import json, sys
from jinja2 import Environment, StrictUndefined
req = json.load(sys.stdin)
env = Environment(undefined=StrictUndefined)
states = req["states"]
env.globals["states"] = lambda entity_id: states.get(entity_id, "unknown")
print(json.dumps([env.from_string(t).render(**req["vars"]) for t in req["templates"]]))
`;

/** Renders each template; `states` maps entity ids to their state strings. */
export function renderJinja(templates: string[], states: Record<string, string> = {}, vars: Record<string, unknown> = {}): string[] {
  const out = execFileSync('python3', ['-c', RENDER], { input: JSON.stringify({ templates, states, vars }), encoding: 'utf8' });
  return JSON.parse(out) as string[];
}
