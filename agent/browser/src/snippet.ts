import { guarded } from './agent-errors.js';
import { init } from './agent.js';
import { readScriptOptions } from './script-options.js';

// The IIFE entry: `<script src=".../agent.js" data-endpoint data-key ...>` configures itself from its tag.
guarded(function initFromScriptTag() {
  init(readScriptOptions(document.currentScript as HTMLScriptElement));
});
