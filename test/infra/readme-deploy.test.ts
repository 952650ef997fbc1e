import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../app/metrics';
import { ENVIRONMENTS } from '../../infra/environments';
import { SECRET_KEYS } from '../../infra/stacks/app-environment';
import { SIZING } from '../../infra/stacks/command-center-stack';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Deploy and install'), readme.indexOf('## Project structure'));

/** The README's admin guide stays true to the stack it describes. */
describe('README: deploy and operate', () => {
  it('has the steps in order: manifest, cdk deploy, secret, request URLs, invite, webhooks', () => {
    const steps = [
      'Create the Slack app from the manifest',
      'npx cdk deploy -c env=prod',
      'Fill the secret',
      'Set the request URLs',
      'Invite the bot',
      'Connect the Workfront and Asana webhooks',
    ].map((step) => section.indexOf(step));
    expect(steps.every((index) => index >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(section).toContain('`WORKFRONT_WEBHOOK_TOKEN` as their `authToken`');
  });

  it('lists every key of the secret', () => {
    for (const key of SECRET_KEYS) expect(section, key).toContain(`\`${key}\``);
  });

  it('derives the cost table from the stack’s sizing', () => {
    const mb = (n: number) => n.toLocaleString('en-US');
    expect(section).toContain(
      `HTTP function ${mb(SIZING.http.memorySize)} MB with a ${SIZING.http.timeout.toSeconds()} s`,
    );
    expect(section).toContain(
      `worker ${mb(SIZING.worker.memorySize)} MB with ${SIZING.worker.timeout.toSeconds()} s`,
    );
    expect(section).toContain(
      `scheduled ${SIZING.scheduled.memorySize} MB with ${SIZING.scheduled.timeout.toSeconds()} s`,
    );
    expect(section).toContain(`every job runs its ${SIZING.worker.timeout.toSeconds()} s timeout`);
  });

  it('lists the metrics the app writes, and says which it does not write yet', () => {
    const operate = readme.slice(readme.indexOf('## Operate'), readme.indexOf('**Cost per 10,000'));
    const split = operate.indexOf('Not written yet');
    expect(split).toBeGreaterThan(0);
    for (const metric of Object.values(METRICS)) {
      expect(operate, metric.name).toContain(`\`${metric.name}\``);
      expect(operate.indexOf(`\`${metric.name}\``) < split, metric.name).toBe(metric.emitted);
    }
  });

  it('names each environment’s model', () => {
    for (const env of Object.values(ENVIRONMENTS)) expect(section).toContain(`| \`${env.name}\``);
    for (const env of Object.values(ENVIRONMENTS)) expect(section).toContain(env.agentModel);
  });
});
