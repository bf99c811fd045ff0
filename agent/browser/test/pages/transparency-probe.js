// Runs in the page: everything a script can observe about WebSocket, as JSON. The transparency test
// runs it with and without the agent and expects identical results.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the test calls it by name in the page
async function observeWebSocket(baseUrl) {
  const results = {};

  function outcome(action) {
    try {
      const value = action();
      if (value instanceof WebSocket) {
        value.close();
        return { constructed: true, url: value.url };
      }
      return { value };
    } catch (error) {
      return {
        threw: Object.prototype.toString.call(error),
        name: error.name,
        message: error.message,
        code: error.code,
        isDOMException: error instanceof DOMException,
        isTypeError: error instanceof TypeError,
      };
    }
  }

  function functionShape(fn) {
    return {
      type: typeof fn,
      name: fn.name,
      length: fn.length,
      source: Function.prototype.toString.call(fn),
      toString: fn.toString(),
      string: String(fn),
      hasPrototype: Object.prototype.hasOwnProperty.call(fn, 'prototype'),
      ownKeys: Reflect.ownKeys(fn).map(String),
    };
  }

  function descriptorShape(target, key) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    const shape = { enumerable: descriptor.enumerable, configurable: descriptor.configurable, writable: descriptor.writable };
    for (const part of ['value', 'get', 'set']) {
      const item = descriptor[part];
      shape[part] = typeof item === 'function' ? functionShape(item) : item === undefined ? 'undefined' : typeof item === 'object' ? 'object' : item;
    }
    return shape;
  }

  // The constructor itself.
  results.constructorShape = functionShape(WebSocket);
  results.statics = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].map((name) => [name, WebSocket[name], descriptorShape(WebSocket, name)]);
  results.staticKeys = Reflect.ownKeys(WebSocket).map(String);
  results.constructorDescriptors = Reflect.ownKeys(WebSocket).map((key) => [String(key), descriptorShape(WebSocket, key)]);
  results.globalDescriptor = descriptorShape(window, 'WebSocket');
  results.prototypeIsEventTarget = Object.getPrototypeOf(WebSocket) === EventTarget;
  results.prototypeConstructor = WebSocket.prototype.constructor === WebSocket;
  results.prototypeKeys = Reflect.ownKeys(WebSocket.prototype).map(String);
  results.prototypeDescriptors = Reflect.ownKeys(WebSocket.prototype).map((key) => [String(key), descriptorShape(WebSocket.prototype, key)]);
  results.windowKeysMentioningClosewatch = Object.keys(window).filter((key) => /closewatch/i.test(key));
  results.functionToString = functionShape(Function.prototype.toString);

  // Constructor errors.
  results.relativeText = outcome(() => new WebSocket('not a url at all'));
  results.badUrl = outcome(() => new WebSocket('ws://[invalid-host/'));
  results.badScheme = outcome(() => new WebSocket('ftp://127.0.0.1/x'));
  results.relativeUrl = outcome(() => new WebSocket('/echo?relative=1'));
  results.httpUrl = outcome(() => new WebSocket(baseUrl.replace('ws:', 'http:') + '/echo?a=1&'));
  results.urlObject = outcome(() => new WebSocket(new URL(baseUrl + '/echo?from=url-object')));
  results.fragment = outcome(() => new WebSocket(baseUrl + '/echo#fragment'));
  results.badProtocol = outcome(() => new WebSocket(baseUrl + '/echo', 'bad protocol'));
  results.emptyProtocol = outcome(() => new WebSocket(baseUrl + '/echo', ''));
  results.duplicateProtocols = outcome(() => new WebSocket(baseUrl + '/echo', ['chat', 'chat']));
  results.withoutNew = outcome(() => WebSocket(baseUrl + '/echo'));
  results.noArguments = outcome(() => new WebSocket());
  results.symbolUrl = outcome(() => new WebSocket(Symbol('x')));
  results.blockedPort = outcome(() => new WebSocket('ws://127.0.0.1:25/'));
  results.callOnPrototype = outcome(() => WebSocket.prototype.url);
  results.sendOnPrototype = outcome(() => WebSocket.prototype.send('x'));

  // Subclassing.
  class AppSocket extends WebSocket {
    hello() {
      return 'hi';
    }
  }
  const subclassed = new AppSocket(baseUrl + '/echo');
  results.subclass = {
    instanceOfSubclass: subclassed instanceof AppSocket,
    instanceOfWebSocket: subclassed instanceof WebSocket,
    method: subclassed.hello(),
    url: subclassed.url,
    constructorName: subclassed.constructor.name,
  };
  subclassed.close();

  // One connection: property reads, handlers via properties and listeners, event order and shape.
  const log = [];
  const socket = new WebSocket(baseUrl + '/echo?room=1', ['chat', 'superchat']);
  results.instance = {
    instanceOf: socket instanceof WebSocket,
    instanceOfEventTarget: socket instanceof EventTarget,
    prototype: Object.getPrototypeOf(socket) === WebSocket.prototype,
    constructor: socket.constructor === WebSocket,
    ownKeys: Reflect.ownKeys(socket).map(String),
    tag: Object.prototype.toString.call(socket),
    string: String(socket),
    url: socket.url,
    protocol: socket.protocol,
    extensions: socket.extensions,
    readyState: socket.readyState,
    bufferedAmount: socket.bufferedAmount,
    binaryType: socket.binaryType,
    handlers: [socket.onopen, socket.onmessage, socket.onerror, socket.onclose],
  };
  results.sendWhileConnecting = outcome(() => socket.send('too early'));
  results.badBinaryType = outcome(() => {
    socket.binaryType = 'nonsense';
    return socket.binaryType;
  });

  function describe(tag) {
    return function record(event) {
      const entry = {
        tag,
        type: event.type,
        kind: Object.prototype.toString.call(event),
        isTrusted: event.isTrusted,
        targetIsSocket: event.target === socket,
        currentTargetIsSocket: event.currentTarget === socket,
        eventPhase: event.eventPhase,
        bubbles: event.bubbles,
        cancelable: event.cancelable,
        thisIsSocket: this === socket,
        readyState: socket.readyState,
      };
      if (event.type === 'message') {
        entry.dataKind = Object.prototype.toString.call(event.data);
        entry.origin = event.origin;
        entry.text = typeof event.data === 'string' ? event.data : undefined;
      }
      if (event.type === 'close') Object.assign(entry, { code: event.code, reason: event.reason, wasClean: event.wasClean });
      log.push(entry);
    };
  }
  socket.addEventListener('open', describe('listener-1'));
  socket.onopen = describe('onopen');
  socket.addEventListener('open', describe('listener-2'));
  socket.onmessage = describe('onmessage');
  socket.addEventListener('message', describe('listener'));
  socket.onerror = describe('onerror');
  socket.onclose = describe('onclose');
  socket.addEventListener('close', describe('listener'));
  const handlerOnce = describe('once');
  socket.addEventListener('message', handlerOnce, { once: true });

  await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
  results.afterOpen = { protocol: socket.protocol, extensions: socket.extensions, readyState: socket.readyState, url: socket.url };
  const nextMessage = () => new Promise((resolve) => socket.addEventListener('message', resolve, { once: true }));
  socket.send('hello');
  await nextMessage();
  socket.binaryType = 'arraybuffer';
  socket.send(new Uint8Array([1, 2, 3]));
  await nextMessage();
  socket.binaryType = 'blob';
  socket.send(new Uint8Array([4, 5]).buffer);
  await nextMessage();
  socket.send(new Blob(['blob-data']));
  await nextMessage();
  results.sendReturns = socket.send('x') === undefined;
  await nextMessage();
  results.badCloseCode = outcome(() => socket.close(1001));
  results.badCloseCodeType = outcome(() => socket.close(2999));
  results.longReason = outcome(() => socket.close(3000, 'x'.repeat(124)));
  results.closeReturns = socket.close(4001, 'app is done');
  results.readyStateAfterClose = socket.readyState;
  results.closeAgain = outcome(() => socket.close());
  await new Promise((resolve) => socket.addEventListener('close', resolve, { once: true }));
  results.sendAfterClose = outcome(() => socket.send('late'));
  results.bufferedAfterClose = socket.bufferedAmount;
  results.log = log;

  // A connection whose server refuses the upgrade.
  const refused = new WebSocket(baseUrl + '/reject');
  const refusedLog = [];
  for (const type of ['open', 'error', 'close']) {
    refused.addEventListener(type, (event) => refusedLog.push([type, event.code, event.wasClean, refused.readyState]));
  }
  await new Promise((resolve) => refused.addEventListener('close', resolve));
  results.refused = { log: refusedLog, url: refused.url };

  // Dispatching a synthetic event must reach the app's handlers as usual.
  const synthetic = new WebSocket(baseUrl + '/echo');
  const syntheticLog = [];
  synthetic.onclose = (event) => syntheticLog.push(['onclose', event.isTrusted, event.code]);
  synthetic.dispatchEvent(new CloseEvent('close', { code: 4999 }));
  synthetic.close();
  await new Promise((resolve) => synthetic.addEventListener('close', resolve));
  results.synthetic = syntheticLog;
  return results;
}
