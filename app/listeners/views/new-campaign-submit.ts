import type { AllMiddlewareArgs, SlackViewAction, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { campaignCreatedNotice } from '../../../blocks/campaign-modal';
import type { AppDeps } from '../../deps';
import { ValidationError } from '../../errors';
import { CampaignModalBlocks } from '../../ids';
import type { Actor } from '../../services/campaign-inputs';
import { fieldErrorsToBlocks, readCampaignForm, ViewStateValues } from './campaign-form';
import { viewFailure } from './view-failure';

const ModalContext = z
  .object({ channelId: z.string().optional(), threadTs: z.string().optional() })
  .catch({});

function parseContext(raw: string | undefined): z.infer<typeof ModalContext> {
  try {
    return ModalContext.parse(JSON.parse(raw || '{}'));
  } catch {
    return {};
  }
}

/**
 * The new-campaign modal's submission. Within Slack's 3 s: read the form, validate (inline errors on
 * the exact fields), store the campaign and — over the threshold — the approval request, then answer.
 * The Slack posts (the request in the approvers' channel, the requester's message) are a job enqueued
 * by the service, so they are retried if Slack fails and never lost.
 */
export function newCampaignSubmit(deps: AppDeps) {
  return async ({
    ack,
    body,
    view,
    logger,
    context,
  }: SlackViewMiddlewareArgs<SlackViewAction> & AllMiddlewareArgs) => {
    try {
      const values = ViewStateValues.parse(view.state.values);
      const { input, errors: formErrors } = readCampaignForm(values);
      const where = parseContext(view.private_metadata);
      // Bounded (1.5 s) and cached: "not in the past" is judged in the user's own time zone.
      const profile = await deps.services.userProfiles.get(body.user.id);
      const actor: Actor = {
        slackUserId: body.user.id,
        timezone: profile.timezone,
        ...(profile.displayName ? { displayName: profile.displayName } : {}),
        ...(where.channelId ? { channelId: where.channelId } : {}),
        ...(where.threadTs ? { threadTs: where.threadTs } : {}),
      };
      const { campaignCommands } = deps.services;
      if (Object.keys(formErrors).length > 0) {
        // Report every field at once: what the form could not read, plus what the service finds.
        const serviceErrors = await campaignCommands.validateNew(input, actor).then(
          () => ({}),
          (error: unknown) => (error instanceof ValidationError ? fieldErrorsToBlocks(error.fields) : {}),
        );
        await ack({ response_action: 'errors', errors: { ...serviceErrors, ...formErrors } });
        return;
      }
      const result = await campaignCommands.createCampaign(input, actor);
      const notice = campaignCreatedNotice({
        name: result.campaign.name,
        budgetCents: result.campaign.budgetCents,
        outcome: result.outcome,
        ...(result.approval ? { policyMessage: result.approval.policyMessage } : {}),
        inThread: Boolean(where.threadTs),
      });
      await ack({ response_action: 'update', view: notice });
    } catch (error) {
      if (error instanceof ValidationError) {
        await ack({ response_action: 'errors', errors: fieldErrorsToBlocks(error.fields) });
        return;
      }
      await ack(
        viewFailure(logger, error, {
          view: 'new_campaign',
          blockId: CampaignModalBlocks.name,
          fallback: 'Something went wrong saving this campaign. Try again in a moment',
          requestId: context.requestId,
        }),
      );
    }
  };
}
