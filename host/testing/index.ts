// plugin-actors/testing: a harness for plugin authors' tests (no test runner dependency).
export { testPlugin, type TestPlugin, type TestPluginOptions, type RecordedLog, type RecordedCall } from './test-plugin.js';
