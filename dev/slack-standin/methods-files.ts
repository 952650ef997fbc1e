import { type MethodHandler, nonEmpty, str } from './support';
import type { Workspace } from './workspace';

/** `files.getUploadURLExternal` and `files.completeUploadExternal` (the upload itself is a POST to the URL). */
export function fileMethods(ws: Workspace): Record<string, MethodHandler> {
  return {
    'files.getUploadURLExternal': (args) => ws.fileStore.getUploadUrl(args, ws.baseUrl),

    'files.completeUploadExternal': (args) => {
      const files = ws.fileStore.uploaded(ws.fileStore.completions(args));
      const channelArg = nonEmpty(args.channel_id);
      const created = Math.floor(ws.clock().getTime() / 1000);
      if (channelArg) {
        const channel = ws.resolveChannel(channelArg, { posting: true });
        const threadTs = nonEmpty(args.thread_ts);
        for (const file of files) {
          file.channel = channel;
          if (threadTs) file.threadTs = threadTs;
        }
        const comment = str(args.initial_comment) ?? '';
        const message = ws.botMessage(channel, { text: comment });
        message.files = files.map((file) => ws.fileStore.fileObject(file, created));
        message.upload = true;
        if (threadTs) message.thread_ts = threadTs;
        ws.addMessage(message);
      }
      for (const file of files) file.completed = true;
      return { ok: true, files: files.map((file) => ws.fileStore.fileObject(file, created)) };
    },
  };
}
