// The Socket.IO lab: a tiny chat for everyone who has this page open, and every Engine.IO and
// Socket.IO packet of this page's own connection, as it crosses the wire, decoded.
//
// The packets are read where they leave and arrive: XMLHttpRequest and WebSocket are wrapped
// before the Socket.IO client script loads. engine.io-client's own events ("packet",
// "packetCreate") hand over packets already decoded, miss the probe packets of an upgrade and
// never show a polling payload as it travels (packets joined by \x1e); and its WebSocket
// transport keeps the WebSocket constructor it finds when its script runs, so the wrap comes first.

const LAB_PATH = '/labs/socket.io/';
const MAX_PACKET_ROWS = 200;
const MAX_CHAT_LINES = 100;
const RECORD_SEPARATOR = '\x1e';

const ENGINE_TYPES = ['OPEN', 'CLOSE', 'PING', 'PONG', 'MESSAGE', 'UPGRADE', 'NOOP'];
const SOCKET_TYPES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'];

const section = document.querySelector('section.lab[data-lab="socketio"]');
if (section) void startLab(section);

async function startLab(section) {
  const wire = [];
  let listener = (entry) => wire.push(entry);
  tapXMLHttpRequest((entry) => listener(entry));
  tapWebSocket((entry) => listener(entry));
  try {
    await loadScript(`${LAB_PATH}socket.io.min.js`);
  } catch {
    // No lab server (the static copy of the site): the fallback text stays, saying what to do.
    return;
  }
  const view = renderLab(section);
  listener = (entry) => view.addWireEntry(entry);
  wire.forEach(listener);
  connect(view);
}

// ---------------------------------------------------------------------------------------------
// The taps: literal wire data, reported before the Socket.IO client sees it.

function isLabUrl(url) {
  try {
    return new URL(url, location.href).pathname === LAB_PATH;
  } catch {
    return false;
  }
}

function tapXMLHttpRequest(report) {
  const Native = window.XMLHttpRequest;
  window.XMLHttpRequest = class TappedXMLHttpRequest extends Native {
    #method = '';
    #url = '';
    constructor() {
      super();
      // Registered before engine.io-client sets onreadystatechange, so this runs first: an
      // answer is listed before the packets the client sends in reply to it.
      this.addEventListener('readystatechange', () => {
        if (this.readyState !== 4 || !this.#url) return;
        if (this.status === 200 && this.#method === 'POST') return; // "ok": no packet in it
        report({ kind: 'http-response', method: this.#method, url: this.#url, status: this.status, data: this.status === 200 ? this.responseText : '' });
      });
    }
    open(method, url, ...rest) {
      this.#method = String(method).toUpperCase();
      this.#url = isLabUrl(url) ? String(url) : '';
      return super.open(method, url, ...rest);
    }
    send(body) {
      if (this.#url) report({ kind: 'http-request', method: this.#method, url: this.#url, data: typeof body === 'string' ? body : '' });
      return super.send(body);
    }
  };
}

function tapWebSocket(report) {
  const Native = window.WebSocket;
  window.WebSocket = class TappedWebSocket extends Native {
    #tapped;
    constructor(url, protocols) {
      if (protocols === undefined) super(url);
      else super(url, protocols);
      this.#tapped = isLabUrl(url);
      if (!this.#tapped) return;
      report({ kind: 'ws-opening', url: String(url) });
      // Registered before engine.io-client sets onmessage: listed before the client answers.
      this.addEventListener('open', () => report({ kind: 'ws-open' }));
      this.addEventListener('message', (event) => report({ kind: 'ws-received', data: event.data }));
      this.addEventListener('close', (event) => report({ kind: 'ws-close', code: event.code }));
    }
    send(data) {
      if (this.#tapped) report({ kind: 'ws-sent', data });
      return super.send(data);
    }
  };
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

// ---------------------------------------------------------------------------------------------
// Decoding: Engine.IO protocol v4 packets, and the Socket.IO protocol v5 packets inside them.

/** What one Engine.IO packet (a string, or binary data) says, in words. */
function describeEnginePacket(packet, direction) {
  if (typeof packet !== 'string') return `Binary data, ${packet.byteLength ?? packet.size} bytes (an attachment of a BINARY packet).`;
  if (packet.startsWith('b')) return 'Binary data, base64-encoded for long-polling (an attachment of a BINARY packet).';
  const type = Number(packet[0]);
  const data = packet.slice(1);
  const name = ENGINE_TYPES[type];
  if (name === undefined) return 'Not an Engine.IO packet.';
  const label = `Engine.IO ${type} ${name}`;
  switch (name) {
    case 'OPEN':
      return `${label}: ${describeHandshake(data)}`;
    case 'CLOSE':
      return `${label}: the ${direction === 'sent' ? 'client' : 'server'} ends the session.`;
    case 'PING':
      return data === 'probe'
        ? `${label} "probe": the client tests the new WebSocket before moving to it.`
        : `${label}: the server checks that the client is still there.`;
    case 'PONG':
      return data === 'probe' ? `${label} "probe": the server answers on the WebSocket; it works.` : `${label}: the client answers the ping.`;
    case 'MESSAGE':
      return `${label} carrying Socket.IO ${describeSocketPacket(data, direction)}`;
    case 'UPGRADE':
      return `${label}: from now on every packet travels on the WebSocket; polling stops.`;
    case 'NOOP':
      return `${label}: nothing, to answer the pending long-poll so that it can end.`;
  }
}

function describeHandshake(json) {
  try {
    const open = JSON.parse(json);
    const upgrades = open.upgrades?.length ? open.upgrades.join(', ') : 'nothing';
    return `the session is ${open.sid}; it may upgrade to ${upgrades}; the server pings every ${open.pingInterval} ms and waits ${open.pingTimeout} ms for the pong; packets up to ${open.maxPayload} bytes.`;
  } catch {
    return 'the handshake (its JSON is unreadable).';
  }
}

/** A Socket.IO packet: type, [attachments-], [/namespace,], [ack id], [JSON data]. */
function decodeSocketPacket(text) {
  const type = Number(text[0]);
  if (SOCKET_TYPES[type] === undefined) return undefined;
  let rest = text.slice(1);
  let attachments;
  if (type === 5 || type === 6) {
    const dash = rest.indexOf('-');
    attachments = Number(rest.slice(0, dash));
    rest = rest.slice(dash + 1);
  }
  let namespace = '/';
  if (rest.startsWith('/')) {
    const comma = rest.indexOf(',');
    namespace = comma < 0 ? rest : rest.slice(0, comma);
    rest = comma < 0 ? '' : rest.slice(comma + 1);
  }
  const id = /^\d+/.exec(rest)?.[0];
  if (id) rest = rest.slice(id.length);
  let data;
  if (rest) {
    try {
      data = JSON.parse(rest);
    } catch {
      return undefined;
    }
  }
  return { type, name: SOCKET_TYPES[type], namespace, id: id === undefined ? undefined : Number(id), attachments, data };
}

function describeSocketPacket(text, direction) {
  const packet = decodeSocketPacket(text);
  if (!packet) return 'data that is not a Socket.IO packet.';
  const label = `${packet.type} ${packet.name}`;
  const where = `namespace ${packet.namespace}`;
  const args = (values) => (values.length ? values.map((value) => JSON.stringify(value)).join(', ') : 'none');
  switch (packet.name) {
    case 'CONNECT':
      return direction === 'sent'
        ? `${label}: the client joins ${where}.`
        : `${label}: the server accepts; in ${where} this client is socket ${packet.data?.sid ?? '(no id)'}.`;
    case 'DISCONNECT':
      return `${label}: the ${direction === 'sent' ? 'client' : 'server'} leaves ${where}.`;
    case 'EVENT':
    case 'BINARY_EVENT': {
      const [event, ...rest] = Array.isArray(packet.data) ? packet.data : [];
      const ack = packet.id === undefined ? '' : ` Ack id ${packet.id}: the sender waits for an ACK with that id.`;
      return `${label} "${event}" in ${where}, arguments: ${args(rest)}.${ack}`;
    }
    case 'ACK':
    case 'BINARY_ACK':
      return `${label} for id ${packet.id}: the callback's arguments: ${args(Array.isArray(packet.data) ? packet.data : [])}.`;
    case 'CONNECT_ERROR':
      return `${label}: ${where} refused the client: ${packet.data?.message ?? 'no reason given'}.`;
  }
}

// ---------------------------------------------------------------------------------------------
// The view: chat, transport, packet list and legend, replacing the fallback text.

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function renderLab(section) {
  const started = performance.now();
  const transportName = element('strong', { class: 'sio-transport-name', text: 'not connected' });
  const readers = element('span', { class: 'sio-readers' });
  const announcer = element('p', { class: 'sio-announcer', role: 'status', 'aria-live': 'polite' });
  const chatLines = element('div', { class: 'sio-chat-lines', role: 'log', 'aria-label': 'Chat messages' });
  const input = element('input', { id: 'sio-message', name: 'message', type: 'text', autocomplete: 'off', maxlength: '500', required: '' });
  const send = element('button', { type: 'submit', text: 'Send' });
  const sendWithAck = element('button', { type: 'button', text: 'Send with acknowledgement' });
  const form = element('form', { class: 'sio-chat-form' }, [
    element('label', { for: 'sio-message', text: 'Message' }),
    element('div', { class: 'sio-chat-controls' }, [input, send, sendWithAck]),
  ]);
  const reconnect = element('button', { type: 'button', class: 'sio-reconnect', text: 'Reconnect' });
  const packets = element('ol', { class: 'sio-packets' });
  const scroller = element('div', { class: 'sio-packet-scroller', tabindex: '0', role: 'region', 'aria-label': 'Packets on the wire, oldest first' }, [packets]);

  const lab = element('div', { class: 'sio-lab' }, [
    element('div', { class: 'sio-bar' }, [element('p', { class: 'sio-transport' }, ['Transport now: ', transportName]), reconnect]),
    announcer,
    element('h3', { class: 'sio-heading' }, ['Chat ', readers]),
    chatLines,
    form,
    element('h3', { class: 'sio-heading', text: 'Packets on the wire' }),
    element('p', { class: 'sio-hint', text: `This page's own connection, oldest first (the last ${MAX_PACKET_ROWS} entries). Each line is the data as it travelled, then what it means.` }),
    scroller,
    renderLegend(),
  ]);
  section.replaceChildren(lab);

  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const keepBounded = (list, max) => {
    while (list.children.length > max) list.firstElementChild.remove();
  };
  const appendRow = (row) => {
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    packets.append(row);
    keepBounded(packets, MAX_PACKET_ROWS);
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
  };

  return {
    input,
    form,
    sendWithAck,
    reconnect,
    addWireEntry(entry) {
      appendRow(renderWireEntry(entry, seconds()));
    },
    note(text) {
      appendRow(element('li', { class: 'sio-row sio-note' }, [element('span', { class: 'sio-time', text: seconds() }), element('span', { class: 'sio-what', text })]));
    },
    showTransport(name) {
      if (transportName.textContent === name) return;
      transportName.textContent = name;
      transportName.dataset['transport'] = name;
    },
    showReaders(count) {
      readers.textContent = count === 1 ? '(you alone for now)' : `(${count} readers here)`;
    },
    announce(text) {
      announcer.textContent = text;
    },
    addChatLine(text) {
      chatLines.append(element('p', { class: 'sio-chat-line', text }));
      keepBounded(chatLines, MAX_CHAT_LINES);
      chatLines.scrollTop = chatLines.scrollHeight;
    },
  };
}

function renderLegend() {
  const table = (caption, names, meanings) =>
    element('table', { class: 'sio-legend-table' }, [
      element('caption', { text: caption }),
      element('tbody', {}, names.map((name, type) => element('tr', {}, [element('th', { scope: 'row' }, [element('code', { text: String(type) })]), element('td', { text: `${name}: ${meanings[type]}` })]))),
    ]);
  return element('details', { class: 'sio-legend', open: '' }, [
    element('summary', { text: 'Packet types' }),
    element('p', {}, [
      'An Engine.IO packet is one digit, its type, then its data. A MESSAGE (4) carries a Socket.IO packet: its own type digit, then [namespace,] [ack id] [JSON]. So ',
      element('code', { text: '42["chat message","hi"]' }),
      ' is MESSAGE + EVENT.',
    ]),
    element('div', { class: 'sio-legend-tables' }, [
      table('Engine.IO (the connection)', ENGINE_TYPES, [
        'the handshake, from the server',
        'end of the session',
        'are you there? (the server asks)',
        'yes (the client answers)',
        'carries a Socket.IO packet',
        'move to the WebSocket now',
        'nothing; ends a pending poll',
      ]),
      table('Socket.IO (inside a MESSAGE)', SOCKET_TYPES, [
        'join a namespace',
        'leave a namespace',
        'an event and its arguments',
        'the answer to an event sent with a callback',
        'the namespace refused the client',
        'an event with binary attachments',
        'an ACK with binary attachments',
      ]),
    ]),
  ]);
}

/** The literal data, with each record separator between polling packets shown as \x1e. */
function renderLiteral(data) {
  const code = element('code', { class: 'sio-raw' });
  if (typeof data !== 'string') {
    code.textContent = `<binary, ${data.byteLength ?? data.size} bytes>`;
    return code;
  }
  data.split(RECORD_SEPARATOR).forEach((part, index) => {
    if (index > 0) code.append(element('span', { class: 'sio-separator', title: 'the record separator, character 0x1E, between two packets', text: '\\x1e' }));
    code.append(part);
  });
  return code;
}

function renderWireEntry(entry, time) {
  const row = (kind, cells) => element('li', { class: `sio-row sio-${kind}` }, [element('span', { class: 'sio-time', text: time }), ...cells]);
  const meta = (text) => row('note', [element('span', { class: 'sio-what', text })]);
  const direction = (sent) => element('span', { class: 'sio-direction', text: sent ? 'sent' : 'received' });
  const via = (text) => element('span', { class: 'sio-via', text });
  const packetRow = (sent, transport, data) => {
    const packetsIn = typeof data === 'string' ? data.split(RECORD_SEPARATOR) : [data];
    const dir = sent ? 'sent' : 'received';
    const meaning =
      packetsIn.length === 1
        ? element('span', { class: 'sio-what', text: describeEnginePacket(packetsIn[0], dir) })
        : element('ol', { class: 'sio-what sio-batch' }, packetsIn.map((packet) => element('li', {}, [element('code', { text: packet }), ` ${describeEnginePacket(packet, dir)}`])));
    return row(dir, [element('span', { class: 'sio-route' }, [direction(sent), ' · ', via(transport)]), renderLiteral(data), meaning]);
  };
  const query = (url) => new URL(url, location.href).search;

  switch (entry.kind) {
    case 'http-request':
      if (entry.method === 'POST') return packetRow(true, 'polling · HTTP POST', entry.data);
      return meta(
        new URL(entry.url, location.href).searchParams.has('sid')
          ? `HTTP GET ${query(entry.url)}: a long-poll; the server holds it until it has packets to send.`
          : `HTTP GET ${query(entry.url)}: the handshake, with no session id yet.`,
      );
    case 'http-response':
      if (entry.status !== 200) return meta(`HTTP ${entry.method} ended with status ${entry.status || 'none (aborted)'}.`);
      return packetRow(false, 'polling · HTTP GET response', entry.data);
    case 'ws-opening':
      return meta(`WebSocket opening: ${query(entry.url)}, the same session, trying the other transport.`);
    case 'ws-open':
      return meta('WebSocket open; polling continues until the upgrade.');
    case 'ws-sent':
      return packetRow(true, 'websocket', entry.data);
    case 'ws-received':
      return packetRow(false, 'websocket', entry.data);
    case 'ws-close':
      return meta(`WebSocket closed (close code ${entry.code}).`);
  }
}

// ---------------------------------------------------------------------------------------------
// The connection: Socket.IO on the lab's path of this very server.

function connect(view) {
  const socket = window.io({ path: LAB_PATH });
  let ackCount = 0;

  socket.io.on('open', () => {
    const engine = socket.io.engine;
    view.showTransport(engine.transport.name);
    engine.on('upgrade', (transport) => {
      view.showTransport(transport.name);
      view.announce(`Upgraded to ${transport.name === 'websocket' ? 'WebSocket' : transport.name}.`);
    });
  });
  socket.on('connect', () => view.announce(`Connected over ${socket.io.engine.transport.name === 'polling' ? 'HTTP long-polling' : 'WebSocket'}.`));
  socket.on('disconnect', (reason) => {
    view.showTransport('not connected');
    view.announce(`Disconnected (${reason}).`);
  });
  socket.on('connect_error', (error) => {
    view.showTransport('not connected');
    view.announce(`Cannot connect to the lab's server (${error.message}); trying again.`);
  });
  socket.on('chat message', (text) => view.addChatLine(String(text)));
  socket.on('notice', (text) => view.announce(String(text)));
  socket.on('readers', (count) => view.showReaders(Number(count)));

  const takeMessage = () => {
    const text = view.input.value;
    if (!view.form.reportValidity()) return undefined;
    view.input.value = '';
    return text;
  };
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = takeMessage();
    if (text !== undefined) socket.emit('chat message', text);
  });
  view.sendWithAck.addEventListener('click', () => {
    const text = takeMessage();
    if (text === undefined) return;
    const number = ++ackCount;
    socket.timeout(5000).emit('chat message', text, (error, reply) => {
      if (error) view.announce(`Message ${number}: no acknowledgement within 5 s.`);
      else view.announce(reply.ok ? `Message ${number}: the server acknowledged it.` : `Message ${number} refused: ${reply.error}`);
    });
  });
  view.reconnect.addEventListener('click', () => {
    view.note('Reconnect: the client disconnects, then connects again with a new session.');
    socket.disconnect();
    socket.connect();
  });
}
