/**
 * The demo workspace's people, user groups and channels: used by the Slack stand-in, the seed and
 * the tests. Ids follow Slack's shapes (U… users, S… user groups, C… channels) but are readable on
 * purpose, so a test or a log line says who is who.
 *
 * Who approves what (APPROVERS_LEADERSHIP=S0LEADERS, APPROVERS_VP=S0VPS locally):
 * - leadership (over $10,000): Maya Chen, Aisha Bello, Lena Fischer
 * - VP (over $100,000): Priya Raman, Carlos Ruiz
 * - marketers who request but cannot approve: Diego, Amélie, Kenji, Sam, Jordan, Tom
 */

/** A person in the demo workspace (the fields `users.info` needs, plus a job title). */
export interface DemoUser {
  id: string;
  /** The handle (`users.info` → `user.name`). */
  name: string;
  realName: string;
  /** IANA time zone. */
  tz: string;
  email: string;
  /** BCP 47 locale, as Slack returns with `include_locale=true`. */
  locale: string;
  title: string;
  isAdmin?: boolean;
}

export interface DemoUserGroup {
  id: string;
  handle: string;
  name: string;
  userIds: string[];
}

export interface DemoChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
}

export const DEMO_USERS: DemoUser[] = [
  {
    id: 'U0MAYA',
    name: 'maya.chen',
    realName: 'Maya Chen',
    tz: 'America/New_York',
    email: 'maya.chen@example.com',
    locale: 'en-US',
    title: 'Director, Brand & Content',
  },
  {
    id: 'U0DIEGO',
    name: 'diego',
    realName: 'Diego Hernández',
    tz: 'America/Los_Angeles',
    email: 'diego.hernandez@example.com',
    locale: 'es-MX',
    title: 'Growth Marketing Manager',
  },
  {
    id: 'U0AMELIE',
    name: 'amelie',
    realName: 'Amélie Laurent',
    tz: 'Europe/Paris',
    email: 'amelie.laurent@example.com',
    locale: 'fr-FR',
    title: 'Field & Events Lead, EMEA',
  },
  {
    id: 'U0KENJI',
    name: 'kenji.w',
    realName: 'Kenji Watanabe',
    tz: 'Asia/Tokyo',
    email: 'kenji.watanabe@example.com',
    locale: 'ja-JP',
    title: 'Partner Marketing Manager, APAC',
  },
  {
    id: 'U0PRIYA',
    name: 'priya',
    realName: 'Priya Raman',
    tz: 'America/New_York',
    email: 'priya.raman@example.com',
    locale: 'en-US',
    title: 'VP, Marketing',
    isAdmin: true,
  },
  {
    id: 'U0CARLOS',
    name: 'carlos.ruiz',
    realName: 'Carlos Ruiz',
    tz: 'America/Chicago',
    email: 'carlos.ruiz@example.com',
    locale: 'es-US',
    title: 'Chief Marketing Officer',
  },
  {
    id: 'U0AISHA',
    name: 'aisha',
    realName: 'Aisha Bello',
    tz: 'Europe/London',
    email: 'aisha.bello@example.com',
    locale: 'en-GB',
    title: 'Head of Growth',
  },
  {
    id: 'U0LENA',
    name: 'lena.fischer',
    realName: 'Lena Fischer',
    tz: 'Europe/Berlin',
    email: 'lena.fischer@example.com',
    locale: 'de-DE',
    title: 'Marketing Operations Lead',
    isAdmin: true,
  },
  {
    id: 'U0SAM',
    name: 'sam.oconnor',
    realName: "Sam O'Connor",
    tz: 'America/Chicago',
    email: 'sam.oconnor@example.com',
    locale: 'en-US',
    title: 'Content Strategist',
  },
  {
    id: 'U0JORDAN',
    name: 'jordan',
    realName: 'Jordan Blake',
    tz: 'America/Los_Angeles',
    email: 'jordan.blake@example.com',
    locale: 'en-US',
    title: 'Demand Generation Specialist',
  },
  {
    id: 'U0TOM',
    name: 'tom.nguyen',
    realName: 'Tom Nguyen',
    tz: 'Australia/Sydney',
    email: 'tom.nguyen@example.com',
    locale: 'en-AU',
    title: 'Senior Designer',
  },
];

export const DEMO_USER_GROUPS: DemoUserGroup[] = [
  {
    id: 'S0LEADERS',
    handle: 'mktg-leadership',
    name: 'Marketing leadership',
    userIds: ['U0MAYA', 'U0AISHA', 'U0LENA'],
  },
  { id: 'S0VPS', handle: 'mktg-vps', name: 'Marketing VPs', userIds: ['U0PRIYA', 'U0CARLOS'] },
  {
    id: 'S0BRAND',
    handle: 'brand-team',
    name: 'Brand & Content team',
    userIds: ['U0MAYA', 'U0SAM', 'U0TOM'],
  },
  {
    id: 'S0GROWTH',
    handle: 'growth-team',
    name: 'Growth Marketing team',
    userIds: ['U0AISHA', 'U0DIEGO', 'U0JORDAN'],
  },
  { id: 'S0EVENTS', handle: 'events-team', name: 'Field & Events team', userIds: ['U0AMELIE', 'U0LENA'] },
  { id: 'S0PARTNERS', handle: 'partner-team', name: 'Partner Marketing team', userIds: ['U0KENJI', 'U0TOM'] },
];

export const DEMO_CHANNELS: DemoChannel[] = [
  { id: 'C0GENERAL', name: 'marketing' },
  { id: 'C0APPROVAL', name: 'mcc-approvals' },
  { id: 'C0BRAND', name: 'mktg-brand' },
  { id: 'C0GROWTH', name: 'mktg-growth' },
  { id: 'C0EVENTS', name: 'mktg-events' },
  { id: 'C0PARTNERS', name: 'mktg-partners' },
];

/** The approvals channel id (`APPROVALS_CHANNEL` locally). */
export const DEMO_APPROVALS_CHANNEL = 'C0APPROVAL';
