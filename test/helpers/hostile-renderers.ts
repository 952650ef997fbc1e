import * as agentAnswer from '../../blocks/agent-answer';
import * as approvalHistory from '../../blocks/approval-history';
import * as approvalList from '../../blocks/approval-list';
import * as approvalMessage from '../../blocks/approval-message';
import * as budgetModal from '../../blocks/budget-modal';
import * as campaignAnnouncement from '../../blocks/campaign-announcement';
import * as campaignCard from '../../blocks/campaign-card';
import * as campaignList from '../../blocks/campaign-list';
import * as campaignModal from '../../blocks/campaign-modal';
import * as campaignPicker from '../../blocks/campaign-picker';
import * as dates from '../../blocks/dates';
import * as digest from '../../blocks/digest';
import * as digestTimeline from '../../blocks/digest-timeline';
import * as help from '../../blocks/help';
import * as rejectModal from '../../blocks/reject-modal';
import * as split from '../../blocks/split';
import * as text from '../../blocks/text';
import {
  APPROVER,
  campaign,
  cancelled,
  decidedView,
  digestContent,
  OWNER,
  pending,
  REQUESTER,
  rejected,
  TODAY,
  twoStage,
  view,
} from './hostile-fixtures';
import { hostile } from './slack-text-scan';

/*
 * Every module of blocks/, every function it exports, and how each renderer is called with hostile
 * input (test/blocks/hostile-text.test.ts checks the output and that this list is complete).
 */

/** How each renderer is called with hostile input; `userText: false` for renderers that take none. */
export type Render = { render: () => unknown; userText?: false };

export const RENDERERS: Record<string, Record<string, Render>> = {
  'agent-answer.ts': {
    agentWorkingMessage: { render: () => agentAnswer.agentWorkingMessage(), userText: false },
    // Body, status and notes are mrkdwn by contract (converted by markdownToMrkdwn, written by
    // services with escaped data); the renderer's own inputs are the collaborators, citations and
    // the confirmation's model-written titles and parameter lines.
    agentProgressMessage: {
      render: () => agentAnswer.agentProgressMessage('Working &lt;on&gt; R&amp;D', ':hourglass: 5 s'),
      userText: false,
    },
    agentAnswerMessages: {
      render: () =>
        agentAnswer.agentAnswerMessages({
          bodyMrkdwn: 'The answer',
          collaborators: [hostile('Collaborator')],
          citations: [
            { title: hostile('Cited'), url: 'https://docs.example.com/brief' },
            { title: hostile('Cited with a bad URL'), url: 'javascript:alert(1)' },
            { title: hostile('Cited without a URL'), url: undefined },
          ],
          notes: ['A note'],
          feedbackRef: 'T.C.1|1',
          shareAskId: 'ask-1',
          offerNewCampaign: true,
        }),
    },
    agentConfirmMessage: {
      render: () =>
        agentAnswer.agentConfirmMessage({
          introMrkdwn: 'Before I go ahead, please confirm:',
          calls: [{ title: hostile('Action'), details: [`name: ${hostile('Parameter')}`] }],
          pendingRef: 'T.C.1|inv-1',
          userId: REQUESTER,
        }),
    },
    agentNoticeMessage: {
      render: () => agentAnswer.agentNoticeMessage(':warning: Something', 'context'),
      userText: false,
    },
    agentFailedToStartMessage: { render: () => agentAnswer.agentFailedToStartMessage(), userText: false },
  },
  'approval-history.ts': {
    approvalHistoryMessage: {
      render: () => [
        approvalHistory.approvalHistoryMessage(hostile('Campaign'), [pending, rejected, twoStage, cancelled]),
        approvalHistory.approvalHistoryMessage(hostile('Campaign'), []),
      ],
    },
    approvalDetailsModal: {
      render: () => [
        approvalHistory.approvalDetailsModal(view),
        approvalHistory.approvalDetailsModal(decidedView),
      ],
    },
  },
  'approval-list.ts': {
    approvalSummaryLine: {
      render: () => [
        { type: 'mrkdwn', text: approvalList.approvalSummaryLine(pending) },
        { type: 'mrkdwn', text: approvalList.approvalSummaryLine({ ...rejected, permalink: undefined }) },
      ],
    },
    approvalListMessage: {
      render: () => [
        approvalList.approvalListMessage([pending, rejected, twoStage]),
        approvalList.approvalListMessage([], ':white_check_mark: You approved it.'),
      ],
    },
  },
  'approval-message.ts': {
    summaryFields: { render: () => approvalMessage.summaryFields(view) },
    decisionButtons: { render: () => approvalMessage.decisionButtons(pending, 'block') },
    outcomeText: { render: () => ({ type: 'mrkdwn', text: approvalMessage.outcomeText(rejected) }) },
    approvalRequestMessage: {
      render: () => [
        approvalMessage.approvalRequestMessage(view),
        approvalMessage.approvalRequestMessage(decidedView),
        approvalMessage.approvalRequestMessage({ ...view, approval: twoStage }),
      ],
    },
    requesterNotice: {
      render: () =>
        (['requested', 'stage_approved', 'approved', 'rejected', 'expired', 'cancelled'] as const).map(
          (notice) => approvalMessage.requesterNotice(notice === 'cancelled' ? cancelled : rejected, notice),
        ),
    },
    threadNote: {
      render: () => [
        approvalMessage.threadNote(pending, { kind: 'reminder', mentions: [`<@${APPROVER}>`] }),
        approvalMessage.threadNote(twoStage, { kind: 'escalated', mentions: ['<!subteam^S0LEADERS>'] }),
      ],
      userText: false,
    },
  },
  'budget-modal.ts': {
    budgetModal: {
      render: () => budgetModal.budgetModal(campaign, { channelId: 'C0TEAM' }, hostile('Threshold')),
    },
  },
  'campaign-announcement.ts': {
    campaignAnnouncementBlocks: {
      render: () => [
        campaignAnnouncement.campaignAnnouncementBlocks({
          campaign,
          workSystem: 'workfront',
          projectUrl: 'https://acme.my.workfront.com/project/abc',
          tasks: [
            { name: hostile('Task'), dueDate: '2026-12-08', ownerSlackId: OWNER, milestone: true },
            {
              name: hostile('Unassigned task'),
              dueDate: '2026-12-09',
              ownerSlackId: undefined,
              milestone: false,
            },
          ],
          today: TODAY,
          notes: [hostile('Note')],
        }),
        campaignAnnouncement.campaignAnnouncementBlocks({
          campaign,
          workSystem: 'asana',
          projectUrl: 'javascript:alert(1)|<!channel>',
          tasks: [],
          today: TODAY,
        }),
      ],
    },
  },
  'campaign-card.ts': {
    timezoneNote: {
      render: () => ({ type: 'mrkdwn', text: campaignCard.timezoneNote(hostile('Zone'), true) }),
    },
    campaignCardBlocks: {
      render: () =>
        campaignCard.campaignCardBlocks({
          campaign,
          teamName: hostile('Team'),
          teamChannelId: 'C0TEAM',
          progress: {
            total: 3,
            done: 1,
            overdue: 1,
            blocked: 1,
            nextMilestone: {
              taskId: 't1',
              name: hostile('Milestone'),
              dueDate: '2026-12-01',
              status: 'NOT_STARTED',
            },
          },
          today: TODAY,
          timezone: 'America/New_York',
          timezoneKnown: true,
        }),
    },
  },
  'campaign-list.ts': {
    describeFilter: {
      // Plain text by contract: the list escapes it where it shows it.
      render: () => ({
        type: 'plain_text',
        text: campaignList.describeFilter({ teamId: 'team-hostile', teamName: hostile('Team') }, TODAY),
      }),
    },
    campaignListBlocks: {
      render: () => [
        campaignList.campaignListBlocks({
          campaigns: [campaign, { ...campaign, campaignId: 'cmp-2' }],
          total: 5,
          start: 0,
          filterLabel: hostile('Filter'),
          teamNames: new Map([['team-hostile', hostile('Team')]]),
          today: TODAY,
          timezone: 'America/New_York',
          timezoneKnown: false,
          moreValue: () => 'more',
        }),
        campaignList.campaignListBlocks({
          campaigns: [],
          total: 0,
          start: 0,
          filterLabel: hostile('Filter'),
          teamNames: new Map(),
          today: TODAY,
          timezone: 'UTC',
          timezoneKnown: true,
          moreValue: () => 'more',
        }),
      ],
    },
  },
  'campaign-modal.ts': {
    campaignModal: {
      render: () =>
        campaignModal.campaignModal({
          teams: [{ teamId: 'team-hostile', name: hostile('Team') }],
          prefill: {
            name: hostile('Prefill'),
            teamId: 'team-hostile',
            audience: hostile('Audience'),
            description: hostile('Description'),
          },
          context: { channelId: 'C0TEAM' },
          thresholdText: 'Over $10,000 needs approval.',
        }),
    },
    openNewCampaignButton: {
      render: () => campaignModal.openNewCampaignButton({ name: hostile('Prefill') }, hostile('Label')),
    },
    campaignCreatedNotice: {
      render: () => [
        campaignModal.campaignCreatedNotice({
          name: hostile('Created'),
          budgetCents: 100,
          outcome: 'created',
          inThread: true,
        }),
        campaignModal.campaignCreatedNotice({
          name: hostile('Pending'),
          budgetCents: 100,
          outcome: 'pending_approval',
          policyMessage: hostile('Policy'),
          inThread: false,
        }),
      ],
    },
  },
  'campaign-picker.ts': {
    campaignPickerBlocks: {
      render: () =>
        campaignPicker.campaignPickerBlocks({
          query: hostile('Query'),
          campaigns: [campaign, { ...campaign, campaignId: 'cmp-2', name: hostile('Other') }],
          today: TODAY,
        }),
    },
    campaignNotFoundBlocks: {
      render: () => campaignPicker.campaignNotFoundBlocks({ query: hostile('Query'), closest: [campaign] }),
    },
    campaignIdNotFoundBlocks: { render: () => campaignPicker.campaignIdNotFoundBlocks(hostile('cmp-1')) },
    statusUsageBlocks: { render: () => campaignPicker.statusUsageBlocks(), userText: false },
  },
  'digest.ts': {
    digestFallbackText: {
      render: () => ({ text: digest.digestFallbackText(digestContent) }),
      userText: false,
    },
    digestMessage: {
      render: () => digest.digestMessage(digestContent, new Date('2026-12-03T14:20:00.000Z')),
    },
  },
  'digest-timeline.ts': {
    timelineDrawing: {
      render: () => {
        const drawing = digestTimeline.timelineDrawing(digestContent);
        return { ...drawing, svgText: { type: 'plain_text', text: svgTextNodes(drawing?.svg ?? '') } };
      },
    },
  },
  'help.ts': {
    helpBlocks: {
      render: () => [
        help.helpBlocks(
          [
            {
              name: 'status',
              usage: '/mcc status <campaign name or id>',
              description: 'The `<campaign>` card.',
            },
          ],
          { unknown: hostile('Typed'), suggestion: 'status' },
        ),
        help.helpBlocks([{ name: 'help', usage: '/mcc help', description: 'Help.' }]),
      ],
    },
  },
  'reject-modal.ts': {
    rejectModal: { render: () => rejectModal.rejectModal(pending, 0) },
    noticeModal: {
      render: () => rejectModal.noticeModal('Not rejected', ':no_entry: Nothing was changed.'),
      userText: false,
    },
  },
  'text.ts': {
    link: {
      render: () => [
        { type: 'mrkdwn', text: text.link('https://docs.example.com/a|<!channel>', hostile('Label')) },
        { type: 'mrkdwn', text: text.link('javascript:alert(1)', hostile('Label')) },
        {
          type: 'mrkdwn',
          text: text.link('https://evil.example/x', 'x').replace(/^<https:\/\/evil/, 'evil'),
        },
      ],
    },
  },
};

/** Exports that render no user text into Slack text (constants, ids, parsing, dates, layout). */
export const NOT_RENDERERS: Record<string, string[]> = {
  'agent-answer.ts': ['agentRenderer'],
  'approval-list.ts': ['APPROVAL_LIST_MAX', 'isApprovalListBlock'],
  'approval-message.ts': ['LEVEL_NAMES', 'slackDate', 'userRef', 'decisionValue', 'parseDecisionValue'],
  'budget-modal.ts': ['centsToInput'],
  'campaign-announcement.ts': ['systemName'],
  'campaign-card.ts': ['statusText', 'statusBadge'],
  'campaign-modal.ts': ['CAMPAIGN_CHANNELS', 'encodeModalContext'],
  'dates.ts': Object.keys(dates),
  'digest.ts': ['DIGEST_LINES_PER_TOPIC', 'DIGEST_APPROVALS_WITH_BUTTONS', 'DIGEST_APPROVAL_BLOCK_PREFIX'],
  'digest-timeline.ts': ['TIMELINE_DAYS', 'TIMELINE_ROWS', 'ALT_TEXT_MAX', 'TIMELINE_FONT_FAMILY'],
  'split.ts': Object.keys(split),
  'text.ts': ['LIMITS', 'truncate'],
};

export const MODULES: Record<string, Record<string, unknown>> = {
  'agent-answer.ts': agentAnswer,
  'approval-history.ts': approvalHistory,
  'approval-list.ts': approvalList,
  'approval-message.ts': approvalMessage,
  'budget-modal.ts': budgetModal,
  'campaign-announcement.ts': campaignAnnouncement,
  'campaign-card.ts': campaignCard,
  'campaign-list.ts': campaignList,
  'campaign-modal.ts': campaignModal,
  'campaign-picker.ts': campaignPicker,
  'dates.ts': dates,
  'digest.ts': digest,
  'digest-timeline.ts': digestTimeline,
  'help.ts': help,
  'reject-modal.ts': rejectModal,
  'split.ts': split,
  'text.ts': text,
};

/** The text nodes of an SVG, decoded as a viewer shows them. */
function svgTextNodes(svg: string): string {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
    .map((match) =>
      (match[1] ?? '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"'),
    )
    .map((node) => node.replace(/&amp;/g, '&'))
    .join('\n');
}
