import { describe, expect, it } from 'vitest';
import { addDays } from '../../../app/domain/calendar';
import { CAMPAIGN_TIERS, CAMPAIGN_TYPES } from '../../../app/domain/model';
import { planTasks, TEMPLATE_ROLES, templateFor, workSystemFor } from '../../../app/domain/templates';

describe('templateFor', () => {
  it.each(CAMPAIGN_TYPES.flatMap((type) => CAMPAIGN_TIERS.map((tier) => [type, tier] as const)))(
    '%s tier %d: unique keys and names, dependencies only on earlier tasks, one milestone, known roles',
    (type, tier) => {
      // Prepare / Act
      const template = templateFor(type, tier);
      // Assess
      const keys = template.map((t) => t.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(template.map((t) => t.name)).size).toBe(template.length);
      template.forEach((task, index) => {
        for (const dep of task.dependsOn) expect(keys.slice(0, index)).toContain(dep);
        expect(TEMPLATE_ROLES).toContain(task.role);
        // Asana takes at most 15 dependencies per task.
        expect(task.dependsOn.length).toBeLessThanOrEqual(15);
      });
      expect(template.filter((t) => t.milestone)).toHaveLength(1);
    },
  );

  it('scales with the tier: tier 1 has the most tasks, tier 3 the fewest', () => {
    for (const type of CAMPAIGN_TYPES) {
      const sizes = CAMPAIGN_TIERS.map((tier) => templateFor(type, tier).length);
      expect(sizes[0]).toBeGreaterThan(sizes[2] ?? 0);
      expect(sizes[1]).toBeGreaterThanOrEqual(sizes[2] ?? 0);
    }
  });

  it('tier-1 standard holds brief, creative, legal, landing page, email, QA, launch and report', () => {
    expect(templateFor('standard', 1).map((t) => t.key)).toEqual([
      'brief',
      'creative',
      'legal-review',
      'landing-page',
      'email-build',
      'qa',
      'launch',
      'post-launch-report',
    ]);
  });

  it('events cover venue, registrations, speakers, run of show, event day and follow-up', () => {
    expect(templateFor('event', 1).map((t) => t.key)).toEqual(
      expect.arrayContaining(['venue', 'registrations', 'speakers', 'run-of-show', 'event-day', 'follow-up']),
    );
  });
});

describe('planTasks', () => {
  const base = {
    type: 'standard' as const,
    tier: 1 as const,
    launchDate: '2027-01-20', // a Wednesday
    ownerSlackId: 'U0OWNER',
    today: '2026-11-23',
  };

  it('dates tasks from the launch date, keeps the milestone on the day, and moves weekend work to Friday', () => {
    // Act
    const plan = planTasks(base);
    const due = Object.fromEntries(plan.map((t) => [t.key, t.dueDate]));
    // Assess
    expect(due.launch).toBe('2027-01-20');
    expect(due.brief).toBe('2026-12-16'); // launch − 35 = Wednesday
    expect(due.qa).toBe('2027-01-15'); // launch − 3 = Sunday → Friday
    expect(due['post-launch-report']).toBe('2027-02-03');
  });

  it('never plans a task before today', () => {
    // Act
    const plan = planTasks({ ...base, launchDate: '2026-12-01', today: '2026-11-23' });
    // Assess
    expect(plan.every((t) => t.dueDate >= '2026-11-23')).toBe(true);
    expect(plan.find((t) => t.key === 'brief')?.dueDate).toBe('2026-11-23');
  });

  it('assigns the owner by default, mapped roles to their person, and leaves unmapped legal unassigned', () => {
    // Act
    const unmapped = planTasks(base);
    const mapped = planTasks({ ...base, roleOwners: { legal: 'U0LEGAL', web: 'U0WEB' } });
    // Assess
    expect(unmapped.find((t) => t.key === 'legal-review')?.ownerSlackId).toBeUndefined();
    expect(unmapped.find((t) => t.key === 'landing-page')?.ownerSlackId).toBe('U0OWNER');
    expect(mapped.find((t) => t.key === 'legal-review')?.ownerSlackId).toBe('U0LEGAL');
    expect(mapped.find((t) => t.key === 'landing-page')?.ownerSlackId).toBe('U0WEB');
    expect(mapped.find((t) => t.key === 'brief')?.ownerSlackId).toBe('U0OWNER');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });
});

describe('workSystemFor', () => {
  it('keeps the system a campaign was provisioned in, else picks by type', () => {
    expect(workSystemFor({ type: 'event' })).toBe('asana');
    expect(workSystemFor({ type: 'standard' })).toBe('workfront');
    expect(workSystemFor({ type: 'partner' })).toBe('workfront');
    expect(workSystemFor({ type: 'standard', workSystem: 'asana' })).toBe('asana');
  });
});
