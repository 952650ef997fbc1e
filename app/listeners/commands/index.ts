import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { COMMAND } from '../../ids';
import { approvalsSubcommand } from './approvals';
import { askSubcommand } from './ask';
import { budgetSubcommand } from './budget';
import { campaignsSubcommand } from './campaigns';
import { helpSubcommand } from './help';
import { mccCommand } from './mcc';
import { newSubcommand } from './new';
import { statusSubcommand } from './status';
import type { Subcommand } from './subcommand';

/**
 * Every `/mcc` subcommand, in the order `/mcc help` lists them. A capability adds its subcommand
 * here (one file per subcommand beside this one).
 */
export function subcommands(): Subcommand[] {
  return [
    statusSubcommand,
    campaignsSubcommand,
    askSubcommand,
    newSubcommand,
    approvalsSubcommand,
    budgetSubcommand,
    helpSubcommand,
  ];
}

export function registerCommands(app: App, deps: AppDeps): void {
  app.command(COMMAND, mccCommand(subcommands(), deps));
}
