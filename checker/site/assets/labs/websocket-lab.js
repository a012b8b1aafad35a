// The WebSocket lab's page: a plain WebSocket to the lab's server, and what that server saw,
// which arrives apart, over Server-Sent Events. No framework, no build step.
const section = document.querySelector('section.lab[data-lab="websocket"]');

const paths = { socket: '/labs/websocket/socket', events: '/labs/websocket/events', ping: '/labs/websocket/ping' };
/** Entries kept in the frame log: the oldest go first. */
const MAX_ENTRIES = 200;

const closeCodeNames = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no code received',
  1006: 'closed without a close frame',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS handshake failed',
};
const codeName = (code) => closeCodeNames[code] ?? (code >= 3000 && code <= 4999 ? 'an application’s own code' : 'unknown');

/** An element, its attributes and its children (strings become text, never HTML). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter((child) => child !== undefined && child !== null));
  return element;
}

const code = (text) => h('code', {}, text);

if (section) startLab(section);

function startLab(section) {
  let sessionId;
  let socket;
  let started = false;
  let lost = false;

  // ---- The parts of the lab ----
  const stateText = h('strong', { class: 'wsl-state' }, 'not connected');
  const connectButton = h('button', { type: 'button', class: 'wsl-connect' }, 'Connect');
  const announcer = h('p', { class: 'wsl-announcer', role: 'status', 'aria-live': 'polite' });

  const handshakeBody = h('div', { class: 'wsl-handshake-body' }, h('p', { class: 'wsl-hint' }, 'Waiting for the connection…'));

  const textInput = h('input', { id: 'wsl-text', type: 'text', value: 'hello', autocomplete: 'off', spellcheck: 'false' });
  const textForm = h(
    'form',
    { class: 'wsl-form' },
    h('label', { for: 'wsl-text' }, 'Text message'),
    h('div', { class: 'wsl-controls' }, textInput, h('button', { type: 'submit' }, 'Send text')),
  );

  const hexInput = h('input', { id: 'wsl-hex', type: 'text', value: 'de ad be ef', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'wsl-hex-hint wsl-hex-error' });
  const hexError = h('p', { id: 'wsl-hex-error', class: 'wsl-error', 'aria-live': 'polite' });
  const binaryForm = h(
    'form',
    { class: 'wsl-form' },
    h('label', { for: 'wsl-hex' }, 'Binary message, as bytes in hex'),
    h('p', { id: 'wsl-hex-hint', class: 'wsl-hint' }, 'Pairs of hex digits, spaces allowed: ', code('48 69 21'), '.'),
    h('div', { class: 'wsl-controls' }, hexInput, h('button', { type: 'submit' }, 'Send binary')),
    hexError,
  );

  const pingButton = h('button', { type: 'button' }, 'Ask the server to ping');
  const pingError = h('p', { class: 'wsl-error', 'aria-live': 'polite' });
  const pingPart = h(
    'div',
    { class: 'wsl-form' },
    h('p', { class: 'wsl-label' }, 'Ping'),
    h(
      'p',
      { class: 'wsl-hint', id: 'wsl-ping-hint' },
      'A page cannot send a ping: the WebSocket API has no method for it. This button asks the server, over HTTP, to ping you; your browser answers with a pong by itself, masked like every frame it sends.',
    ),
    h('div', { class: 'wsl-controls' }, pingButton),
    pingError,
  );
  pingButton.setAttribute('aria-describedby', 'wsl-ping-hint');

  const closeCodeInput = h('input', { id: 'wsl-close-code', type: 'text', inputmode: 'numeric', value: '1000', autocomplete: 'off', 'aria-describedby': 'wsl-close-hint wsl-close-error' });
  const closeReasonInput = h('input', { id: 'wsl-close-reason', type: 'text', value: 'done', autocomplete: 'off' });
  const closeError = h('p', { id: 'wsl-close-error', class: 'wsl-error', 'aria-live': 'polite' });
  const closeForm = h(
    'form',
    { class: 'wsl-form wsl-close-form' },
    h('p', { class: 'wsl-label' }, 'Close'),
    h('p', { id: 'wsl-close-hint', class: 'wsl-hint' }, 'A page may use 1000, or 3000 to 4999. Leave the code empty to send a close frame with no code.'),
    h(
      'div',
      { class: 'wsl-controls' },
      h('span', { class: 'wsl-field' }, h('label', { for: 'wsl-close-code' }, 'Code'), closeCodeInput),
      h('span', { class: 'wsl-field wsl-field-wide' }, h('label', { for: 'wsl-close-reason' }, 'Reason'), closeReasonInput),
      h('button', { type: 'submit' }, 'Close the connection'),
    ),
    closeError,
  );

  const frameList = h('ol', { class: 'wsl-frames', reversed: true });
  const clearButton = h('button', { type: 'button' }, 'Clear the frames');

  const lab = h(
    'div',
    { class: 'wsl-lab' },
    h('div', { class: 'wsl-bar' }, h('p', { class: 'wsl-status' }, 'Connection: ', stateText), connectButton),
    announcer,
    h('h3', { class: 'wsl-heading' }, 'The opening handshake'),
    handshakeBody,
    h('h3', { class: 'wsl-heading' }, 'Send'),
    h('div', { class: 'wsl-send' }, textForm, binaryForm, pingPart, closeForm),
    h('div', { class: 'wsl-bar' }, h('h3', { class: 'wsl-heading', id: 'wsl-frames-heading' }, 'Frames, newest first'), clearButton),
    h('p', { class: 'wsl-hint' }, 'Every frame the server received from your browser and sent back, decoded. Bytes are in hex.'),
    // Focusable, so that a keyboard can scroll it.
    h('div', { class: 'wsl-frames-scroller', tabindex: '0', role: 'region', 'aria-labelledby': 'wsl-frames-heading' }, frameList),
  );

  // ---- Announcing, politely: one short sentence a second at most ----
  let pending = [];
  let announceTimer;
  const announce = (text) => {
    pending.push(text);
    announceTimer ??= setTimeout(() => {
      announcer.textContent = pending.length > 3 ? `${pending.length} new entries in the frame log; the last: ${pending.at(-1)}` : pending.join(' ');
      pending = [];
      announceTimer = undefined;
    }, 1000);
  };

  const addEntry = (entry, summary) => {
    frameList.prepend(entry);
    while (frameList.children.length > MAX_ENTRIES) frameList.lastElementChild.remove();
    if (summary) announce(summary);
  };

  const note = (text, kind = 'info') => {
    addEntry(h('li', { class: `wsl-entry wsl-note wsl-note-${kind}` }, ...[text].flat()), [text].flat().map((part) => part.textContent ?? part).join(''));
  };

  // ---- The WebSocket ----
  const setState = () => {
    const names = ['connecting…', 'open', 'closing…', 'closed'];
    stateText.textContent = socket ? names[socket.readyState] : 'not connected';
    const open = socket?.readyState === WebSocket.OPEN;
    connectButton.textContent = socket && socket.readyState <= WebSocket.OPEN ? 'Disconnect' : 'Connect again';
    for (const button of lab.querySelectorAll('.wsl-send button')) button.disabled = !open;
  };

  const connect = () => {
    const url = new URL(`${paths.socket}?session=${sessionId}`, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    handshakeBody.replaceChildren(h('p', { class: 'wsl-hint' }, 'Waiting for the connection…'));
    socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    const current = socket;
    socket.addEventListener('open', () => {
      setState();
      if (current === socket) note('Your browser’s open event: the connection is open.');
    });
    socket.addEventListener('message', (event) => {
      const what = typeof event.data === 'string' ? ['text ', code(JSON.stringify(event.data))] : [`binary, ${event.data.byteLength} bytes`];
      addEntry(h('li', { class: 'wsl-entry wsl-note' }, 'Your browser’s message event: ', ...what));
    });
    socket.addEventListener('close', (event) => {
      setState();
      note([
        'Your browser’s close event: code ',
        code(String(event.code)),
        ` (${codeName(event.code)})`,
        event.reason ? [', reason ', code(JSON.stringify(event.reason))] : [],
        event.wasClean ? ', closed cleanly.' : ', not closed cleanly.',
      ].flat());
    });
    setState();
  };

  connectButton.addEventListener('click', () => {
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'Disconnect button');
    else connect();
  });

  textForm.addEventListener('submit', (event) => {
    event.preventDefault();
    socket?.send(textInput.value);
  });

  binaryForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const digits = hexInput.value.replace(/0x|[\s,:]/gi, '');
    if (!/^([0-9a-f]{2})*$/i.test(digits)) {
      hexError.textContent = 'Type whole bytes: pairs of the digits 0–9 and a–f, such as de ad be ef.';
      hexInput.setAttribute('aria-invalid', 'true');
      return;
    }
    hexError.textContent = '';
    hexInput.removeAttribute('aria-invalid');
    socket?.send(new Uint8Array(digits.match(/../g)?.map((byte) => parseInt(byte, 16)) ?? []));
  });

  pingButton.addEventListener('click', async () => {
    pingError.textContent = '';
    try {
      const answer = await fetch(`${paths.ping}?session=${sessionId}`, { method: 'POST' });
      if (!answer.ok) pingError.textContent = (await answer.json()).error;
    } catch {
      pingError.textContent = 'The lab’s server did not answer: is `npm start` still running?';
    }
  });

  closeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    closeError.textContent = '';
    const typed = closeCodeInput.value.trim();
    try {
      // The browser's own checks are the lesson here: its error is shown as it is.
      if (typed === '') socket?.close();
      else socket?.close(Number(typed), closeReasonInput.value);
      closeCodeInput.removeAttribute('aria-invalid');
    } catch (error) {
      closeError.textContent = `Your browser refused, and sent nothing: ${error.name}: ${error.message}`;
      closeCodeInput.setAttribute('aria-invalid', 'true');
    }
  });

  clearButton.addEventListener('click', () => frameList.replaceChildren());

  // ---- What the server saw, over Server-Sent Events ----
  const reports = new EventSource(paths.events);
  reports.addEventListener('message', (event) => {
    const report = JSON.parse(event.data);
    switch (report.type) {
      case 'session':
        sessionId = report.id;
        if (lost) {
          lost = false;
          note('The lab’s server answers again.');
        }
        if (!started) {
          // Only now that the lab's server has answered does the lab replace the fallback text.
          started = true;
          section.replaceChildren(lab);
          connect();
        }
        break;
      case 'handshake':
        handshakeBody.replaceChildren(renderHandshake(report));
        break;
      case 'handshake-rejected':
        note(['The server refused the handshake: ', code(String(report.status)), ` ${report.message}`], 'problem');
        break;
      case 'frame':
        addEntry(renderFrame(report.frame), frameSummary(report.frame));
        break;
      case 'message':
        if (report.frameCount > 1) note(`The server put a ${report.messageType} message of ${report.length} bytes together from ${report.frameCount} frames.`);
        break;
      case 'protocol-error':
        note(['The server found a protocol error, ', code(report.code), `: ${report.message} It closes with ${report.closeCode}.`], 'problem');
        break;
      case 'closed':
        note([
          'The server’s TCP connection ended: ',
          report.clean ? 'both close frames were exchanged' : 'without the full closing handshake',
          report.initiatedBy ? `, the ${report.initiatedBy === 'client' ? 'browser' : 'server'} closed first.` : '.',
        ]);
        break;
      case 'session-ended':
        reports.close();
        note(report.reason, 'problem');
        break;
    }
  });
  reports.addEventListener('error', () => {
    // Before the first answer: no lab server (the static copy of the site); the fallback text stays.
    if (!started || lost || reports.readyState === EventSource.CLOSED) return;
    lost = true;
    note('The lab’s server stopped answering: is `npm start` still running?', 'problem');
  });
}

function renderHandshake({ request, accept, response }) {
  const requestText = [`${request.method} ${request.url} HTTP/${request.httpVersion}`, ...request.headers.map(([name, value]) => `${name}: ${value}`)].join('\n');
  const offeredExtensions = request.headers.find(([name]) => name.toLowerCase() === 'sec-websocket-extensions');
  return h(
    'div',
    {},
    h('p', { class: 'wsl-label' }, 'The request the server received'),
    h('pre', { class: 'wsl-http' }, h('code', {}, requestText)),
    h('p', { class: 'wsl-label' }, 'Sec-WebSocket-Accept, step by step'),
    h(
      'ol',
      { class: 'wsl-steps' },
      h('li', {}, 'The key your browser chose, 16 random bytes in base64: ', code(accept.key)),
      h('li', {}, 'The key followed by the GUID every WebSocket server uses: ', code(accept.keyWithGuid)),
      h('li', {}, 'The SHA-1 hash of that text, 20 bytes, in hex: ', code(accept.sha1Hex)),
      h('li', {}, 'Those 20 bytes in base64, the accept value: ', code(accept.accept)),
    ),
    h('p', { class: 'wsl-label' }, 'The server’s answer'),
    h('pre', { class: 'wsl-http' }, h('code', {}, response.trimEnd())),
    offeredExtensions
      ? h('p', { class: 'wsl-hint' }, 'Your browser offered ', code(offeredExtensions[1]), '. The answer names no extension, so none is used: no frame is compressed, and RSV1 stays 0.')
      : undefined,
  );
}

const directionLabel = (frame) => (frame.direction === 'client-to-server' ? 'Browser → server' : 'Server → browser');
const hexOpcode = (opcode) => `0x${opcode.toString(16).toUpperCase()}`;

function frameSummary(frame) {
  return `${directionLabel(frame)}: ${frame.opcodeName} frame, ${frame.payloadLength} bytes.`;
}

function renderFrame(frame) {
  const bit = (value) => (value ? '1' : '0');
  const lengthHow = {
    '7-bit': 'in the 7-bit length field',
    '16-bit': '7 bits say 126, then a 16-bit length',
    '64-bit': '7 bits say 127, then a 64-bit length',
  }[frame.lengthEncoding];
  const cut = frame.shownBytes < frame.payloadLength ? ` (the first ${frame.shownBytes} of ${frame.payloadLength} bytes)` : '';
  const bytes = (hex) => (hex ? code(hex) : h('span', { class: 'wsl-muted' }, 'none'));
  const fields = [
    ['fin', 'FIN', [bit(frame.fin), h('span', { class: 'wsl-muted' }, frame.fin ? ' last frame of its message' : ' more frames follow')]],
    ['rsv', 'RSV1–3', `${bit(frame.rsv1)} ${bit(frame.rsv2)} ${bit(frame.rsv3)}`],
    ['opcode', 'opcode', `${frame.opcode} (${hexOpcode(frame.opcode)}, ${frame.opcodeName})`],
    ['mask', 'MASK', [bit(frame.masked), h('span', { class: 'wsl-muted' }, frame.masked ? ' masked, as every frame from a browser' : ' not masked, as every frame from a server')]],
    ['length', 'payload length', [String(frame.payloadLength), h('span', { class: 'wsl-muted' }, ` ${lengthHow}`)]],
    ['header', 'header bytes', bytes(frame.headerHex)],
  ];
  if (frame.masked) {
    fields.push(['masking-key', 'masking key', bytes(frame.maskingKeyHex)]);
    fields.push(['masked', `masked bytes, as sent${cut}`, bytes(frame.wireHex)]);
    fields.push(['unmasked', `unmasked bytes${cut}`, bytes(frame.payloadHex)]);
  } else {
    fields.push(['payload', `payload bytes${cut}`, bytes(frame.payloadHex)]);
  }
  if (frame.text !== undefined) fields.push(['text', 'text', code(JSON.stringify(frame.text))]);
  if (frame.close) {
    const closeCode = frame.close.code === undefined ? 'none' : `${frame.close.code} (${codeName(frame.close.code)})`;
    fields.push(['close-code', 'close code', closeCode]);
    if (frame.close.reason) fields.push(['close-reason', 'reason', code(JSON.stringify(frame.close.reason))]);
  }
  const inbound = frame.direction === 'client-to-server';
  return h(
    'li',
    { class: `wsl-entry wsl-frame ${inbound ? 'wsl-from-browser' : 'wsl-from-server'}`, 'data-opcode': String(frame.opcode), 'data-direction': frame.direction },
    h('p', { class: 'wsl-frame-title' }, h('span', { class: 'wsl-direction' }, directionLabel(frame)), ` ${frame.opcodeName} frame, ${frame.payloadLength} bytes`),
    h('dl', { class: 'wsl-fields' }, fields.map(([key, label, value]) => h('div', { 'data-field': key }, h('dt', {}, label), h('dd', {}, value)))),
  );
}
