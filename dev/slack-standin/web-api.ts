import { chatMethods } from './methods-chat';
import { conversationMethods } from './methods-conversations';
import { fileMethods } from './methods-files';
import { userMethods } from './methods-users';
import { viewMethods } from './methods-views';
import type { MethodHandler } from './support';
import type { Workspace } from './workspace';

/** Every Web API method the stand-in answers, by name, over one workspace's state. */
export function webApiMethods(ws: Workspace): Record<string, MethodHandler> {
  return {
    ...chatMethods(ws),
    ...conversationMethods(ws),
    ...userMethods(ws),
    ...fileMethods(ws),
    ...viewMethods(ws),
  };
}
