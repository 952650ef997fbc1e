import type { ActionsBlock, StaticSelect } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ActionIds, BlockIds } from '../../app/ids';
import {
  campaignIdNotFoundBlocks,
  campaignNotFoundBlocks,
  campaignPickerBlocks,
  statusUsageBlocks,
} from '../../blocks/campaign-picker';
import { LIMITS } from '../../blocks/text';
import { aCampaign, manyCampaigns } from '../helpers/campaign-fixtures';

function select(blocks: ReturnType<typeof campaignPickerBlocks>['blocks']): StaticSelect {
  const actions = blocks.find((block) => block.type === 'actions') as ActionsBlock | undefined;
  const element = actions?.elements[0];
  if (element?.type !== 'static_select') throw new Error('no static_select');
  return element;
}

describe('campaignPickerBlocks', () => {
  it('offers each match with its id as the value', () => {
    const picker = campaignPickerBlocks({
      query: 'spring',
      campaigns: [
        aCampaign({ campaignId: 'cmp-001', name: 'Spring Launch', launchDate: '2026-12-05' }),
        aCampaign({ campaignId: 'cmp-002', name: 'Spring Launch Retargeting', status: 'DRAFT', tier: 3 }),
      ],
      today: '2026-11-22',
    });
    const menu = select(picker.blocks);
    expect(picker.blocks.find((b) => b.type === 'actions')).toMatchObject({
      block_id: BlockIds.statusPicker,
    });
    expect(menu.action_id).toBe(ActionIds.statusPickCampaign);
    expect(menu.options).toEqual([
      {
        text: { type: 'plain_text', text: 'Spring Launch', emoji: false },
        value: 'cmp-001',
        description: { type: 'plain_text', text: 'Planned · Tier 2 · launch Dec 5 · cmp-001', emoji: false },
      },
      expect.objectContaining({ value: 'cmp-002' }),
    ]);
    expect(picker.text).toBe('2 campaigns match “spring”: Spring Launch, Spring Launch Retargeting');
  });

  it('keeps to 100 options of ≤ 75 characters, and says how many were left out', () => {
    const campaigns = manyCampaigns(150, (i) => ({
      name: `${'A really quite long campaign name '.repeat(4)}${i}`,
    }));
    const picker = campaignPickerBlocks({ query: 'campaign', campaigns, today: '2026-11-22' });
    const options = select(picker.blocks).options ?? [];
    expect(options).toHaveLength(LIMITS.selectOptions);
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(75);
      expect(option.value?.length ?? 0).toBeLessThanOrEqual(75);
      expect(option.description?.text.length ?? 0).toBeLessThanOrEqual(75);
    }
    expect(JSON.stringify(picker.blocks)).toContain('Showing 100 of 150');
  });
});

describe('campaignNotFoundBlocks', () => {
  it('names the three closest campaigns and how to list them all', () => {
    const message = campaignNotFoundBlocks({
      query: 'zebra <script>',
      closest: [
        aCampaign({ campaignId: 'cmp-1', name: 'Zebra Print' }),
        aCampaign({ campaignId: 'cmp-2', name: 'Summer Sale' }),
        aCampaign({ campaignId: 'cmp-3', name: 'Spring & Co' }),
        aCampaign({ campaignId: 'cmp-4', name: 'Not shown' }),
      ],
    });
    expect(message.text).toBe(
      ':thinking_face: No campaign matches “zebra &lt;script&gt;”. The closest names are *Zebra Print* (`cmp-1`), *Summer Sale* (`cmp-2`), *Spring &amp; Co* (`cmp-3`). See every campaign with `/mcc campaigns`, then `/mcc status &lt;name or id&gt;`.',
    );
    expect(JSON.stringify(message.blocks)).not.toContain('Not shown');
  });
});

describe('campaignIdNotFoundBlocks', () => {
  it('says no campaign has the id, escaped, and how to list them all', () => {
    const message = campaignIdNotFoundBlocks('cmp-<999>');
    expect(message.text).toBe(
      ':thinking_face: No campaign with id `cmp-&lt;999&gt;`. See every campaign with `/mcc campaigns`, then `/mcc status &lt;name or id&gt;`.',
    );
    expect(message.blocks).toHaveLength(2);
  });
});

describe('statusUsageBlocks', () => {
  it('shows how to ask', () => {
    expect(statusUsageBlocks().text).toContain('/mcc status Spring Launch');
  });
});
