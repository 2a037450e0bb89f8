import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TERMINATION_HANDLER_IAM_ACTIONS } from '../../lambda/termination-handler/iam';

const SOURCE_DIR = join(__dirname, '../../lambda/termination-handler');
const IAM_PREFIX: Record<string, string> = {
  ec2: 'ec2', 'auto-scaling': 'autoscaling', 'elastic-load-balancing-v2': 'elasticloadbalancing', sns: 'sns', 'secrets-manager': 'secretsmanager', dynamodb: 'dynamodb',
};

/** The AWS actions the handler's sources import a command (or paginator) for. */
function actionsUsedBySources(): string[] {
  const files = readdirSync(SOURCE_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const actions = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(SOURCE_DIR, file), 'utf8');
    for (const [, names, client] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([\w-]+)'/g)) {
      for (const name of names!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        const action = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (action) actions.add(`${IAM_PREFIX[client!] ?? client}:${action}`);
      }
    }
  }
  return [...actions].sort();
}

describe('TERMINATION_HANDLER_IAM_ACTIONS', () => {
  it('lists exactly the actions the handler code calls', () => {
    expect(actionsUsedBySources()).toEqual([...TERMINATION_HANDLER_IAM_ACTIONS].sort());
  });
});
