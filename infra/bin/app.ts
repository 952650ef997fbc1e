import { buildCommandCenterApp } from '../stacks/command-center-app';

/** `npx cdk synth|diff|deploy -c env=dev|staging|prod` runs this (cdk.json). */
buildCommandCenterApp().app.synth();
