// The live progress of a load test: on a terminal, one line redrawn in place four times a second;
// anywhere else (a CI log, a pipe), a plain line every two seconds, which reads well as a log.
export interface ProgressLine {
  /** Ends the live line, leaving its last state printed. */
  stop(): void;
}

const terminalEveryMs = 250;
const logEveryMs = 2000;

export function showProgress(render: () => string, stream: NodeJS.WriteStream = process.stdout): ProgressLine {
  const live = stream.isTTY === true;
  const draw = () => {
    if (!live) return stream.write(`${render()}\n`);
    // Cut to the terminal's width: a line that wraps can no longer be redrawn in place.
    const width = Math.max(20, (stream.columns || 80) - 1);
    return stream.write(`\r${fit(render(), width)}\x1b[K`);
  };
  const timer = setInterval(draw, live ? terminalEveryMs : logEveryMs);
  // Ended by Ctrl+C: the shell's prompt goes on a line of its own, not after the live line.
  const endLine = () => stream.write('\n');
  if (live) process.once('exit', endLine);
  return {
    stop() {
      clearInterval(timer);
      draw();
      if (live) {
        process.off('exit', endLine);
        endLine();
      }
    },
  };
}

/** Cuts `text` to `width` visible characters, leaving its colour codes whole. */
function fit(text: string, width: number): string {
  let visible = 0;
  let out = '';
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      continue;
    }
    const room = width - visible;
    if (room <= 0) continue;
    out += part.slice(0, room);
    visible += Math.min(room, part.length);
  }
  return out;
}
