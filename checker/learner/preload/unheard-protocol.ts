// What a learner's server tells the checker when a Socket.IO event came that nothing listened for
// (report-unheard-events.ts). One key of the kit's own, as clock-protocol.ts has: the learner's
// code may read the same channel.

/** An event `event` from the client of socket `socketId`, with no listener for it on that socket. */
export interface UnheardEvent {
  socketId: string;
  event: string;
}

export interface UnheardEventMessage {
  chatWorkshopUnheard: UnheardEvent;
}

export function isUnheardEventMessage(message: unknown): message is UnheardEventMessage {
  const report = (message as Partial<UnheardEventMessage> | null)?.chatWorkshopUnheard;
  return typeof report?.socketId === 'string' && typeof report.event === 'string';
}
